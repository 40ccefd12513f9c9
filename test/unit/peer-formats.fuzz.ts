// Hostile input for the peer-format readers: values that are invalid by
// construction (so every one must read as null), and valid messages with
// hostile extras (which must read as exactly the message). Seeded, so a
// failure replays with PEER_FUZZ_SEED=n.
import { prng } from "../worker-fuzz/frames";

export type Random = () => number;

export function tools(random: Random) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => random() < p;
  const text = (max: number, min = 0) => {
    const length = min + int(Math.max(1, max - min + 1));
    let out = "";
    for (let i = 0; i < length; i++) out += chance(0.1) ? pick(ODD) : String.fromCharCode(32 + int(95));
    return out.slice(0, max).padEnd(min, "x");
  };
  return { int, pick, chance, text };
}

const ODD = ["\u0000", "\ud800", "\udfff", "\u202e", "\ufeff", "😀", "\n", "\\", '"', "</script>"];
export const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

/** Values of the wrong JSON type for any field: everything but `keep`. */
export function wrongTypes(random: Random, keep: "string" | "number" | "boolean" | "object" | "array"): unknown[] {
  const { text } = tools(random);
  const all: Record<string, unknown[]> = {
    string: [text(20), ""],
    number: [0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2],
    boolean: [true, false],
    object: [{}, { a: 1 }, { __proto__: null }],
    array: [[], [1, 2], [[[]]]],
    null: [null],
  };
  return Object.entries(all)
    .filter(([kind]) => kind !== keep)
    .flatMap(([, values]) => values);
}

/** Deeply nested arrays and objects, as values and as JSON text. */
export function deep(depth: number): { value: unknown; json: string } {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  let json = "1";
  for (let i = 0; i < depth; i++) json = i % 2 ? `[${json}]` : `{"k":${json}}`;
  return { value, json };
}

/** Things that are never a peer message: not text, not JSON, not an object. */
export function junk(random: Random): unknown {
  const { int, pick, text } = tools(random);
  const valid = '{"kind":"chat","text":"hello"}';
  switch (int(14)) {
    case 0:
      return pick([null, undefined, 0, -1, NaN, Infinity, true, false, 1n]);
    case 1:
      return pick([[], [1], ["kind", "chat"], [{ kind: "chat", text: "x" }]]);
    case 2:
      return new ArrayBuffer(int(64));
    case 3:
      return new Uint8Array([123, 34, 107, 105, 110, 100, 34, 125]); // the bytes of {"kind"}
    case 4:
      return text(200);
    case 5:
      return valid.slice(0, int(valid.length)); // truncated JSON
    case 6:
      return pick(["null", "[]", "1", '"text"', "true", "{", "}", "{]", "\ufeff{}", "{'kind':'chat'}"]);
    case 7:
      return "x".repeat(1_000_000); // huge
    case 8:
      return `{"kind":"chat","text":"${"a".repeat(20_000)}"}`; // over any frame bound
    case 9:
      return deep(20_000).json;
    case 10:
      return deep(50).value;
    case 11:
      return JSON.stringify({ [pick(PROTO_KEYS)]: { kind: "chat", text: "x", id: "a", description: {} } });
    case 12:
      return { toString: () => valid };
    default:
      return JSON.stringify(text(50));
  }
}

export function seededRandom(): { random: Random; seed: number } {
  const seed = Number(process.env["PEER_FUZZ_SEED"] || Math.floor(Math.random() * 2 ** 31));
  return { random: prng(seed), seed };
}
