import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PeerSignal, SessionDescription } from "../../worker/protocol";
import { SignalOutbox } from "../../site/src/outbox";

let sent: PeerSignal[];
let description: SessionDescription | null;
let complete: boolean;

function outbox(): SignalOutbox {
  return new SignalOutbox(
    {
      send: (data) => void sent.push(data),
      localDescription: () => description,
      gatheringComplete: () => complete,
    },
    { describeAfterMs: 25, batchMs: 25 },
  );
}

const host = (n: number) => ({
  candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${5000 + n} typ host`,
  sdpMid: "0",
  sdpMLineIndex: 0,
  usernameFragment: "u",
});

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  description = { type: "offer", sdp: "v=0 (with candidates 1 and 2 inside)" };
  complete = false;
});

afterEach(() => {
  vi.useRealTimers();
});

describe("SignalOutbox", () => {
  it("sends a description once, 25 ms later, with early candidates inside its SDP", () => {
    const box = outbox();
    box.described();
    box.candidate(host(1));
    box.candidate(host(2));
    vi.advanceTimersByTime(24);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ description }]);
  });

  it("batches later candidates into one frame, and never sends end-of-candidates", () => {
    const box = outbox();
    box.described();
    vi.advanceTimersByTime(25);
    box.candidate(host(3));
    box.candidate(host(4));
    box.candidate(host(5));
    vi.advanceTimersByTime(25);
    box.candidate(null);
    expect(sent).toEqual([{ description }, { candidates: [host(3), host(4), host(5)] }]);
  });

  it("does not wait when gathering completes early", () => {
    const box = outbox();
    box.described();
    box.candidate(null);
    expect(sent).toEqual([{ description }]);
    complete = true;
    box.described();
    expect(sent).toHaveLength(2);
  });

  it("flushes waiting candidates before a new description, and drops a description that was replaced", () => {
    const box = outbox();
    box.described();
    vi.advanceTimersByTime(25);
    box.candidate(host(6));
    box.described(); // e.g. a rollback and an answer instead
    description = { type: "answer", sdp: "v=0 answer" };
    vi.advanceTimersByTime(25);
    expect(sent).toEqual([
      { description: { type: "offer", sdp: "v=0 (with candidates 1 and 2 inside)" } },
      { candidates: [host(6)] },
      { description: { type: "answer", sdp: "v=0 answer" } },
    ]);
  });

  it("sends nothing after close", () => {
    const box = outbox();
    box.described();
    box.close();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
