// The readers of everything peers send each other: examples first, then at
// least 10,000 hostile values per reader (no throw, null for all of them,
// never a parse of more than a frame) and as many valid messages with
// hostile extras (read exactly).
import { describe, expect, it, vi } from "vitest";
import {
  MAX_CANDIDATES_PER_SIGNAL,
  MAX_CHAT_CHARS,
  MAX_FILE_NAME_CHARS,
  MAX_FRAME_BYTES,
  readFileControl,
  readPeerMessage,
  readPeerSignal,
} from "../../protocol";
import { PROTO_KEYS, deep, junk, seededRandom, tools, wrongTypes, type Random } from "./peer-formats.fuzz";

const HOSTILE = 10_000;

const { random, seed } = seededRandom();
const t = tools(random);

/** A valid message and what its reader must return for it. */
interface Case {
  input: unknown;
  expected: unknown;
}

/**
 * Feeds `reader` every input; returns the longest text it handed to
 * JSON.parse. Fails with the seed on a throw.
 */
function feed(
  reader: (data: unknown) => unknown,
  inputs: unknown[],
  check: (output: unknown, i: number) => void,
): number {
  let longestParse = 0;
  const parse = JSON.parse;
  const spy = vi.spyOn(JSON, "parse").mockImplementation((text: string, reviver?: Parameters<typeof parse>[1]) => {
    longestParse = Math.max(longestParse, text.length);
    return parse(text, reviver);
  });
  try {
    inputs.forEach((input, i) => {
      let output: unknown;
      try {
        output = reader(input);
      } catch (error) {
        throw new Error(`reader threw on input ${i} (PEER_FUZZ_SEED=${seed}): ${String(error)}`);
      }
      check(output, i);
    });
  } finally {
    spy.mockRestore();
  }
  return longestParse;
}

function expectAllNull(reader: (data: unknown) => unknown, hostile: unknown[]): void {
  expect(hostile.length).toBeGreaterThanOrEqual(HOSTILE);
  const longestParse = feed(reader, hostile, (output, i) => {
    if (output !== null) {
      const shown = typeof hostile[i] === "string" ? (hostile[i] as string).slice(0, 300) : hostile[i];
      expect.fail(`accepted hostile input ${i} (PEER_FUZZ_SEED=${seed}): ${String(JSON.stringify(shown))}`);
    }
  });
  // What keeps a reader cheap whatever arrives: a huge message is refused by
  // its length before any parsing (speed itself is the benchmark's business).
  expect(longestParse).toBeLessThanOrEqual(MAX_FRAME_BYTES);
}

function expectAllRead(reader: (data: unknown) => unknown, cases: Case[]): void {
  feed(
    reader,
    cases.map((c) => c.input),
    (output, i) => expect(output, `valid input ${i} (PEER_FUZZ_SEED=${seed})`).toEqual(cases[i]!.expected),
  );
}

/** The same message with one field made wrong, or (a required one) removed. */
function mutate(
  valid: Record<string, unknown>,
  wrong: Record<string, () => unknown>,
  optional: string[] = [],
): Record<string, unknown> {
  const field = t.pick(Object.keys(wrong));
  const copy = { ...valid };
  if (t.chance(0.15) && field !== "kind" && !optional.includes(field)) delete copy[field];
  else copy[field] = wrong[field]!();
  return copy;
}

/** Extra keys a newer or hostile peer might add: ignored, never merged into anything. */
function withExtras(message: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...message };
  for (let i = t.int(3); i > 0; i--)
    copy[t.pick([...PROTO_KEYS, "extra", "v2"])] = t.pick([{ polluted: true }, 1, "x", null]);
  return copy;
}

const json = (value: unknown) => JSON.stringify(value);
const oneOf = (values: unknown[]) => () => t.pick(values);

// ---- the tincan channel: chat and state ------------------------------------

function validChat(): Case {
  const text = t.text(MAX_CHAT_CHARS, 1);
  return { input: json(withExtras({ kind: "chat", text })), expected: { kind: "chat", text } };
}

function validState(): Case {
  const state = {
    kind: "state",
    mic: t.chance(0.5),
    camera: t.chance(0.5),
    screen: t.chance(0.5),
    hand: t.chance(0.5),
  };
  return { input: json(withExtras(state)), expected: state };
}

const booleanField = () => t.pick(wrongTypes(random, "boolean"));

function hostileMessage(): unknown {
  if (t.chance(0.3)) return junk(random);
  if (t.chance(0.5)) {
    return json(
      mutate(
        { kind: "chat", text: "hi" },
        {
          kind: oneOf(["Chat", "", "state ", "file", 1, null, ["chat"], "__proto__"]),
          text: () => t.pick(["", "x".repeat(MAX_CHAT_CHARS + 1), ...wrongTypes(random, "string")]),
        },
      ),
    );
  }
  return json(
    mutate(
      { kind: "state", mic: true, camera: false, screen: false, hand: true },
      { mic: booleanField, camera: booleanField, screen: booleanField, hand: booleanField },
    ),
  );
}

// ---- the tincan-files channel ----------------------------------------------

const HEX64 = "0123456789abcdef".repeat(4);

function validFileControl(): Case {
  const id = t.pick(["0f1e2d3c4b5a6978", "a", "A-b_9".repeat(12).slice(0, 64)]);
  const kind = t.pick(["offer", "accept", "decline", "end", "cancel"]);
  let message: Record<string, unknown>;
  if (kind === "offer") {
    message = {
      kind,
      id,
      name: t.text(MAX_FILE_NAME_CHARS, 1),
      size: t.pick([0, 1, 5 * 1024 * 1024, Number.MAX_SAFE_INTEGER]),
      mime: t.pick(["", "application/pdf", "text/html"]),
    };
  } else if (kind === "end") {
    message = { kind, id, sha256: HEX64 };
  } else {
    message = { kind, id };
  }
  return { input: json(withExtras(message)), expected: message };
}

function hostileFileControl(): unknown {
  if (t.chance(0.3)) return junk(random);
  const id = () => t.pick(["", "x".repeat(65), "a b", "<id>", "é", ...wrongTypes(random, "string")]);
  const kind = oneOf(["Offer", "", "chat", "accept ", 0, null, [], "__proto__"]);
  switch (t.int(3)) {
    case 0:
      return json(
        mutate(
          { kind: "offer", id: "abc", name: "a.pdf", size: 10, mime: "" },
          {
            kind,
            id,
            name: () => t.pick(["", "n".repeat(MAX_FILE_NAME_CHARS + 1), ...wrongTypes(random, "string")]),
            size: () => t.pick([-1, 1.5, 2 ** 53, "10", null, [], {}, true]),
            mime: () => t.pick(["m".repeat(101), 5, null, [], {}, false]),
          },
          ["mime"],
        ),
      );
    case 1:
      return json(
        mutate(
          { kind: "end", id: "abc", sha256: HEX64 },
          { kind, id, sha256: oneOf(["", HEX64.slice(1), HEX64.toUpperCase(), `${HEX64}0`, "g".repeat(64), 5, null]) },
        ),
      );
    default:
      return json(mutate({ kind: t.pick(["accept", "decline", "cancel"]), id: "abc" }, { kind, id }));
  }
}

// ---- signal data (through the room) ----------------------------------------

function validCandidate(): Record<string, unknown> {
  const candidate: Record<string, unknown> = {
    candidate: `candidate:${t.int(1e9)} 1 udp ${t.int(2 ** 31)} 192.0.2.${t.int(255)} ${t.int(65535)} typ host`,
  };
  // Either names the m-section; both usually do.
  if (t.chance(0.8)) candidate["sdpMid"] = String(t.int(3));
  if (t.chance(0.8) || candidate["sdpMid"] === undefined) candidate["sdpMLineIndex"] = t.int(3);
  if (t.chance(0.5)) candidate["usernameFragment"] = t.text(8, 4);
  return candidate;
}

function readCandidateAs(c: Record<string, unknown>) {
  return {
    candidate: c["candidate"],
    sdpMid: c["sdpMid"] ?? null,
    sdpMLineIndex: c["sdpMLineIndex"] ?? null,
    usernameFragment: c["usernameFragment"] ?? null,
  };
}

function validSignal(): Case {
  switch (t.int(4)) {
    case 0: {
      const description = { type: t.pick(["offer", "answer", "pranswer"]), sdp: `v=0\r\n${t.text(500)}` };
      return { input: withExtras({ description }), expected: { description } };
    }
    case 1:
      return { input: { description: { type: "rollback" } }, expected: { description: { type: "rollback" } } };
    case 2: {
      const list = Array.from({ length: 1 + t.int(MAX_CANDIDATES_PER_SIGNAL) }, validCandidate);
      return { input: withExtras({ candidates: list }), expected: { candidates: list.map(readCandidateAs) } };
    }
    default: {
      if (t.chance(0.2)) return { input: { candidate: null }, expected: { candidate: null } };
      const candidate = validCandidate();
      return { input: { candidate }, expected: { candidate: readCandidateAs(candidate) } };
    }
  }
}

function hostileCandidate(): unknown {
  if (t.chance(0.2)) return t.pick([null, "candidate:1", 1, [], true]);
  return mutate(
    { candidate: "candidate:1 1 udp 1 192.0.2.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "u" },
    {
      candidate: () => t.pick(["c".repeat(1_025), ...wrongTypes(random, "string")]),
      sdpMid: () => t.pick(["m".repeat(65), 0, true, [], {}]),
      sdpMLineIndex: () => t.pick([-1, 1.5, 1_024, "0", true, [], {}, Infinity]),
      usernameFragment: () => t.pick(["u".repeat(257), 0, true, [], {}]),
    },
    // Either of mid and index alone names the m-section; the ufrag is optional.
    ["sdpMid", "sdpMLineIndex", "usernameFragment"],
  );
}

function hostileSignal(random: Random): unknown {
  const r = tools(random);
  switch (r.int(8)) {
    case 0:
      return junk(random);
    case 1: // a well-formed signal parsed from hostile JSON text never gets here; the object itself may be anything
      return r.pick([{}, { descriptions: {} }, { Candidate: null }, { __proto__: { candidate: null } }]);
    case 2: // more than one kind at once
      return { description: { type: "offer", sdp: "v=0" }, candidate: null };
    case 3:
      return {
        description: mutate(
          { type: "offer", sdp: "v=0" },
          {
            type: oneOf(["Offer", "", "hack", "__proto__", 1, null, []]),
            sdp: () => r.pick(["", "s".repeat(MAX_FRAME_BYTES + 1), ...wrongTypes(random, "string")]),
          },
        ),
      };
    case 4:
      return { description: r.pick([null, "offer", 1, [], { type: "rollback", sdp: 1 }, deep(30).value]) };
    case 5: {
      const list: unknown[] = Array.from({ length: 1 + r.int(5) }, validCandidate);
      list[r.int(list.length)] = hostileCandidate();
      return { candidates: list };
    }
    case 6:
      return {
        candidates: r.pick([
          [],
          {},
          "candidate:1",
          Array.from({ length: MAX_CANDIDATES_PER_SIGNAL + 1 }, validCandidate),
          deep(40).value,
        ]),
      };
    default: {
      // null alone is end-of-candidates (valid); every other hostile candidate is not.
      const candidate = hostileCandidate();
      return {
        candidate: candidate === null ? { candidate: "candidate:1 1 udp 1 192.0.2.1 5000 typ host" } : candidate,
      };
    }
  }
}

// ---- the tests ----------------------------------------------------------------

const many = <T>(make: () => T, n = HOSTILE) => Array.from({ length: n }, make);

describe(`peer formats (PEER_FUZZ_SEED=${seed})`, () => {
  it("reads chat and state from the tincan channel, and drops what a misbehaving peer might send", () => {
    expect(readPeerMessage('{"kind":"chat","text":"hello"}')).toEqual({ kind: "chat", text: "hello" });
    expect(readPeerMessage('{"kind":"state","mic":false,"camera":true,"screen":false,"hand":false}')).toEqual({
      kind: "state",
      mic: false,
      camera: true,
      screen: false,
      hand: false,
    });
    expect(readPeerMessage("null")).toBeNull();
    expect(readPeerMessage('{"kind":"chat","text":""}')).toBeNull();
    expect(readPeerMessage('{"kind":"state","mic":false}')).toBeNull();
    expect(readPeerMessage(new ArrayBuffer(8))).toBeNull();
  });

  it("reads file control, and drops what a misbehaving peer might send (null on the channel among them)", () => {
    expect(readFileControl('{"kind":"offer","id":"ab12","name":"a.pdf","size":3,"mime":"application/pdf"}')).toEqual({
      kind: "offer",
      id: "ab12",
      name: "a.pdf",
      size: 3,
      mime: "application/pdf",
    });
    expect(readFileControl('{"kind":"offer","id":"ab12","name":"a.pdf","size":3}')).toMatchObject({ mime: "" });
    expect(readFileControl(`{"kind":"end","id":"ab12","sha256":"${HEX64}"}`)).toEqual({
      kind: "end",
      id: "ab12",
      sha256: HEX64,
    });
    for (const bad of [
      "null",
      "[]",
      "5",
      '"x"',
      '{"kind":"accept"}',
      '{"kind":"offer","id":"a","name":"n","size":-1}',
    ]) {
      expect(readFileControl(bad)).toBeNull();
    }
  });

  it("reads descriptions and candidates, and drops what a misbehaving peer might send", () => {
    expect(readPeerSignal({ description: { type: "offer", sdp: "v=0" } })).toEqual({
      description: { type: "offer", sdp: "v=0" },
    });
    expect(readPeerSignal({ candidate: { candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0 } })).toEqual({
      candidate: { candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: null },
    });
    expect(readPeerSignal({ candidate: null })).toEqual({ candidate: null });
    // An empty line is end-of-candidates for one m-section: it needs no mid.
    expect(readPeerSignal({ candidate: { candidate: "" } })).toEqual({
      candidate: { candidate: "", sdpMid: null, sdpMLineIndex: null, usernameFragment: null },
    });
    expect(readPeerSignal({ candidates: [{ candidate: "candidate:1", sdpMid: "0" }] })).toEqual({
      candidates: [{ candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: null, usernameFragment: null }],
    });
    expect(readPeerSignal({})).toBeNull();
    expect(readPeerSignal({ description: { type: "hack", sdp: "v=0" } })).toBeNull();
    expect(readPeerSignal({ description: { type: "offer" } })).toBeNull();
    expect(readPeerSignal({ candidate: { candidate: "candidate:1" } })).toBeNull();
    expect(
      readPeerSignal({ candidates: Array.from({ length: 65 }, () => ({ candidate: "c", sdpMid: "0" })) }),
    ).toBeNull();
  });

  it("answers 10,000 hostile values on the tincan channel with null, never throwing", () => {
    expectAllNull(readPeerMessage, many(hostileMessage));
  });

  it("answers 10,000 hostile values on the tincan-files channel with null, never throwing", () => {
    expectAllNull(readFileControl, many(hostileFileControl));
  });

  it("answers 10,000 hostile signal data with null, never throwing", () => {
    expectAllNull(
      readPeerSignal,
      many(() => hostileSignal(random)),
    );
  });

  it("reads 3,000 valid messages with hostile extra keys exactly, extras dropped", () => {
    expectAllRead(
      readPeerMessage,
      many(() => (t.chance(0.5) ? validChat() : validState()), 1_000),
    );
    expectAllRead(readFileControl, many(validFileControl, 1_000));
    expectAllRead(readPeerSignal, many(validSignal, 1_000));
  });

  it("gives no prototype-polluting key a way into a read message", () => {
    const read = readPeerMessage('{"kind":"chat","text":"x","__proto__":{"polluted":true}}');
    expect(read).toEqual({ kind: "chat", text: "x" });
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
