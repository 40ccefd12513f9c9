import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PeerSignal, SessionDescription } from "../../protocol";
import { SignalOutbox } from "../../site/src/peer/outbox";

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
  description = {
    type: "offer",
    sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${host(1).candidate}\r\na=${host(2).candidate}`,
  };
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

  it("flushes waiting candidates before a new description", () => {
    const box = outbox();
    box.described();
    vi.advanceTimersByTime(25);
    box.candidate(host(6));
    description = { type: "offer", sdp: "v=0 ice restart" };
    box.described();
    vi.advanceTimersByTime(25);
    expect(sent).toEqual([
      {
        description: {
          type: "offer",
          sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${host(1).candidate}\r\na=${host(2).candidate}`,
        },
      },
      { candidates: [host(6)] },
      { description: { type: "offer", sdp: "v=0 ice restart" } },
    ]);
  });

  it("sends every description that was set, in order: an answer followed at once by an offer", () => {
    // The page answers an audio-only offer, then offers its camera before
    // the answer's wait is over: the answer must still go, first, intact.
    const box = outbox();
    description = {
      type: "answer",
      sdp: `v=0 answer\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${host(1).candidate}`,
    };
    box.described();
    box.candidate(host(1)); // already inside the answer's SDP
    box.candidate(host(2)); // gathered after the copy was taken
    description = { type: "offer", sdp: "v=0 offer with video" };
    box.described();
    expect(sent).toEqual([
      {
        description: {
          type: "answer",
          sdp: `v=0 answer\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${host(1).candidate}`,
        },
      },
      { candidates: [host(2)] },
    ]);
    vi.advanceTimersByTime(25);
    expect(sent.at(-1)).toEqual({ description: { type: "offer", sdp: "v=0 offer with video" } });
    expect(sent).toHaveLength(3);
  });

  it("knows a candidate inside the SDP even when the browser spells the line differently there", () => {
    // Chromium's icecandidate line carries ufrag and network-id; its SDP line does not.
    const event = {
      candidate:
        "candidate:842163049 1 udp 1677729535 192.0.2.7 51000 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Ab1x network-id 1",
      sdpMid: "0",
      sdpMLineIndex: 0,
      usernameFragment: "Ab1x",
    };
    description = {
      type: "offer",
      sdp: "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=candidate:842163049 1 udp 1677729535 192.0.2.7 51000 typ srflx raddr 0.0.0.0 rport 0 generation 0\r\n",
    };
    const box = outbox();
    box.described();
    box.candidate(event);
    vi.advanceTimersByTime(25);
    expect(sent).toEqual([{ description }]);
  });

  it("tells apart two sections' candidates that are alike in every field but their section", () => {
    // Before bundling, every m-section gathers its own TCP candidate on port 9, with the same priority.
    const tcp = "candidate:3922182960 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active";
    description = {
      type: "offer",
      sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${tcp}\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n`,
    };
    const box = outbox();
    box.described();
    box.candidate({ candidate: tcp, sdpMid: "0", sdpMLineIndex: 0 }); // inside, in section 0
    box.candidate({ candidate: tcp, sdpMid: "1", sdpMLineIndex: 1 }); // not inside section 1
    box.candidate({ candidate: tcp, sdpMid: null, sdpMLineIndex: 0 }); // inside, known by index
    vi.advanceTimersByTime(25);
    expect(sent).toEqual([{ description }, { candidates: [{ candidate: tcp, sdpMid: "1", sdpMLineIndex: 1 }] }]);
  });

  it("re-reads a waiting description for candidates gathered during the wait", () => {
    const box = outbox();
    description = { type: "offer", sdp: "v=0" };
    box.described();
    box.candidate(host(1));
    description = { type: "offer", sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${host(1).candidate}` }; // the browser added it
    vi.advanceTimersByTime(25);
    expect(sent).toEqual([
      {
        description: {
          type: "offer",
          sdp: `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=${host(1).candidate}`,
        },
      },
    ]);
  });

  it("never sends a description that was rolled back before it went out, nor its candidates", () => {
    const box = outbox();
    box.described();
    box.candidate(host(1));
    box.discard();
    description = { type: "answer", sdp: "v=0 answer" };
    box.described();
    vi.advanceTimersByTime(25);
    expect(sent).toEqual([{ description: { type: "answer", sdp: "v=0 answer" } }]);
  });

  it("never sends an end-of-candidates marker (an empty candidate line)", () => {
    const box = outbox();
    box.described();
    vi.advanceTimersByTime(25);
    box.candidate({ candidate: "", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "u" });
    box.candidate(null);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([{ description }]);
  });

  it("sends the current description again when asked, with the candidates gathered since, but never one still waiting", () => {
    const box = outbox();
    box.described();
    box.resend(); // still waiting to go: nothing extra
    vi.advanceTimersByTime(25);
    const first = description!;
    expect(sent).toEqual([{ description: first }]);
    description = { type: "offer", sdp: `${first.sdp}\r\na=candidate:9 1 udp 1 127.0.0.1 5009 typ host` };
    box.resend();
    expect(sent).toEqual([{ description: first }, { description }]);
  });

  it("sends nothing after close", () => {
    const box = outbox();
    box.described();
    box.close();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});
