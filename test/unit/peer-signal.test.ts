import { describe, expect, it } from "vitest";
import { readPeerSignal } from "../../worker/protocol";

describe("readPeerSignal", () => {
  it("reads descriptions and candidates", () => {
    expect(readPeerSignal({ description: { type: "offer", sdp: "v=0" } })).toEqual({
      description: { type: "offer", sdp: "v=0" },
    });
    expect(readPeerSignal({ candidate: { candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0 } })).toEqual({
      candidate: { candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: null },
    });
    expect(readPeerSignal({ candidate: null })).toEqual({ candidate: null });
    expect(readPeerSignal({ candidates: [{ candidate: "candidate:1", sdpMid: "0" }] })).toEqual({
      candidates: [{ candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: null, usernameFragment: null }],
    });
  });

  it("drops what a misbehaving peer might send", () => {
    expect(readPeerSignal({})).toBeNull();
    expect(readPeerSignal({ description: { type: "hack", sdp: "v=0" } })).toBeNull();
    expect(readPeerSignal({ description: { type: "offer", sdp: 5 } })).toBeNull();
    expect(readPeerSignal({ candidate: { candidate: ["x"] } })).toBeNull();
    expect(readPeerSignal({ candidate: "candidate:1" })).toBeNull();
    expect(readPeerSignal({ candidates: [{ candidate: 5 }] })).toBeNull();
    expect(readPeerSignal({ candidates: Array.from({ length: 65 }, () => ({ candidate: "c" })) })).toBeNull();
  });
});
