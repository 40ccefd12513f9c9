// Hostile frames for the fuzzer: random, truncated, mutated, deep, huge,
// mistyped, prototype-poking and oddly encoded. Seeded, so a failure can be
// replayed exactly.

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Frame = string | ArrayBuffer;

const ODD_UNICODE = [
  "\u0000",
  "\ud800",
  "\udfff",
  "\u202e",
  "\ufeff",
  "\uffff",
  "😀",
  "\u0301",
  "\u200b",
  "𝕏",
  "\n",
  "\\",
];
const KEYS = [
  "type",
  "to",
  "data",
  "from",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
];
const TYPES = [
  "signal",
  "leave",
  "ping",
  "ice-servers",
  "welcome",
  "error",
  "SIGNAL",
  "",
  "__proto__",
  "constructor",
  "toString",
];

/** The lock's frames, for a fuzzer that knocks: it may send them, well-formed or not, and must be refused. */
const LOBBY_TYPES = ["lock", "admit", "deny", "knock", "lobby", "room", "knock-ended"];

/**
 * The building blocks of hostile frames: whole numbers, picks, strings with
 * odd code points, and any JSON value whose objects use `keys` and whose ids
 * are `ids`.
 */
export function randomValues(random: () => number, keys: readonly string[], ids: readonly string[]) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const oddString = (length: number) =>
    Array.from({ length }, () => (random() < 0.3 ? pick(ODD_UNICODE) : String.fromCharCode(32 + int(95)))).join("");

  const anyValue = (depth: number): unknown => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return pick([0, -1, 1e308, -0, 3.14, Number.MAX_SAFE_INTEGER]);
      case 3:
        return oddString(int(20));
      case 4:
        return pick(ids);
      case 5:
        return Array.from({ length: int(4) }, () => anyValue(depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = int(4); i > 0; i--) object[pick(keys)] = anyValue(depth + 1);
        return object;
      }
    }
  };
  return { int, pick, oddString, anyValue };
}

export function frameGenerator(random: () => number, strangerIds: string[], { knocking = false } = {}) {
  const types = knocking ? [...TYPES, ...LOBBY_TYPES] : TYPES;
  const keys = knocking ? [...KEYS, "locked", "peerId"] : KEYS;
  const { int, pick, oddString, anyValue } = randomValues(random, keys, strangerIds);

  const valid = (): string =>
    pick([
      JSON.stringify({ type: "signal", to: pick(strangerIds), data: { description: { type: "offer", sdp: "v=0" } } }),
      JSON.stringify({ type: "signal", to: pick(strangerIds), data: { candidate: null } }),
      '{"type":"ping"}',
      ...(knocking
        ? [
            JSON.stringify({ type: "lock", locked: random() < 0.5 }),
            JSON.stringify({ type: "admit", peerId: pick(strangerIds) }),
            JSON.stringify({ type: "deny", peerId: pick(strangerIds) }),
            JSON.stringify({ type: "ice-servers" }),
          ]
        : []),
    ]);

  const generators: (() => Frame)[] = [
    // random bytes, as a binary frame and as text
    () => crypto.getRandomValues(new Uint8Array(1 + int(64))).buffer as ArrayBuffer,
    () => oddString(1 + int(80)),
    // truncated JSON
    () => {
      const text = valid();
      return text.slice(0, int(text.length));
    },
    // single-character mutations of a valid frame
    () => {
      const chars = [...valid()];
      const at = int(chars.length);
      const op = int(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, pick(["{", "}", '"', ",", ":", "[", "]", "\\", "x", "0"]));
      else chars[at] = pick(["{", "}", '"', ",", ":", "]", "\\", " ", "9"]);
      return chars.join("");
    },
    // deep nesting, as the whole frame and inside data
    () => "[".repeat(1 + int(5_000)) + "]".repeat(int(5_000)),
    () =>
      `{"type":"signal","to":"${pick(strangerIds)}","data":${'{"a":'.repeat(17 + int(500))}1${"}".repeat(17 + int(500))}}`,
    // huge strings
    () => JSON.stringify({ type: "signal", to: pick(strangerIds), data: { pad: "x".repeat(60_000 + int(20_000)) } }),
    () => `"${"y".repeat(70_000)}"`,
    // wrong types in every field
    () => JSON.stringify({ type: pick([7, null, true, [], {}, "signal"]), to: anyValue(0), data: anyValue(0) }),
    () => JSON.stringify(anyValue(0)),
    // prototype pokes
    () => `{"__proto__":{"type":"signal"},"type":"${pick(types)}","to":"${pick(strangerIds)}","data":{}}`,
    () =>
      `{"type":"signal","to":"${pick(strangerIds)}","data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}}`,
    () => JSON.stringify({ type: pick(types) }),
    () => JSON.stringify({ type: pick(types), locked: anyValue(0), peerId: anyValue(0) }),
    // odd unicode where ids go
    () => JSON.stringify({ type: "signal", to: oddString(1 + int(30)), data: {} }),
    // valid in form, to nobody here
    valid,
  ];

  return (): Frame => generators[int(generators.length)]!();
}
