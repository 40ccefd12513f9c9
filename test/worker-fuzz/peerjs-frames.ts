// Hostile frames for a PeerJS socket: random bytes, broken and mutated JSON,
// deep and huge payloads, wrong types in every field, prototype pokes,
// forged `src` fields and well-formed frames to ids nobody holds. Seeded
// (./frames has the generator), so a failure replays exactly.
import { randomValues, type Frame } from "./frames";

const TYPES = [
  "OFFER",
  "ANSWER",
  "CANDIDATE",
  "LEAVE",
  "EXPIRE",
  "HEARTBEAT",
  "OPEN",
  "ID-TAKEN",
  "ERROR",
  "offer",
  "",
];
const KEYS = ["type", "dst", "src", "payload", "__proto__", "constructor", "prototype", "toString"];

/** Frames at `strangers` (ids no honest client holds), forging `src` as one of `honest`. */
export function peerJsFrameGenerator(random: () => number, strangers: string[], honest: string[]) {
  // Never an honest id where a value could land in `dst`: those would be real frames to them.
  const { int, pick, oddString: odd, anyValue } = randomValues(random, KEYS, strangers);
  // Well-formed, to a stranger; a LEAVE without `dst` is left out (it would end the fuzzer's own socket).
  const valid = () =>
    JSON.stringify({
      type: pick(["OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE"]),
      dst: pick(strangers),
      src: pick(honest),
      payload: { sdp: { type: "offer", sdp: "v=0" }, type: "data", connectionId: "dc_x" },
    });
  const generators: (() => Frame)[] = [
    () => crypto.getRandomValues(new Uint8Array(1 + int(64))).buffer as ArrayBuffer,
    () => odd(1 + int(80)),
    () => {
      const text = valid();
      return text.slice(0, int(text.length));
    },
    () => {
      const chars = [...valid()];
      chars.splice(int(chars.length), int(2), pick(["{", "}", '"', ",", ":", "[", "\\", "x"]));
      return chars.join("");
    },
    () => "[".repeat(1 + int(5_000)) + "]".repeat(int(5_000)),
    () =>
      `{"type":"OFFER","dst":"${pick(strangers)}","payload":${'{"a":'.repeat(17 + int(200))}1${"}".repeat(17 + int(200))}}`,
    () => JSON.stringify({ type: "OFFER", dst: pick(strangers), payload: { pad: "x".repeat(60_000 + int(20_000)) } }),
    () => JSON.stringify({ type: pick([7, null, true, [], {}, "OFFER"]), dst: anyValue(0), payload: anyValue(0) }),
    () => JSON.stringify(anyValue(0)),
    () =>
      `{"__proto__":{"dst":"${pick(honest)}","src":"${pick(honest)}"},"type":"${pick(TYPES)}","dst":"${pick(strangers)}"}`,
    () => `{"type":"CANDIDATE","dst":"${pick(strangers)}","payload":{"__proto__":{"polluted":1}}}`,
    () => JSON.stringify({ type: pick(TYPES), dst: odd(1 + int(30)) }),
    () => JSON.stringify({ type: pick(TYPES), dst: pick(strangers), payload: anyValue(0) }),
    valid,
  ];
  return (): Frame => {
    const frame = generators[int(generators.length)]!();
    // Never a LEAVE without a destination, however it came about.
    if (typeof frame === "string" && /LEAVE/.test(frame) && !/"dst"\s*:\s*"/.test(frame)) return "{not json";
    return frame;
  };
}
