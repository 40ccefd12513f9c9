import { describe, expect, it } from "vitest";
import { pathFromStats } from "../../site/src/peer/ice-path";
import { audioLevel } from "../../site/src/peer/audio-level";
import { readDetails } from "../../site/src/peer/stats-details";
import { refreshDelayMs } from "../../site/src/peer/ice-refresh";

describe("refreshDelayMs", () => {
  it("asks at 80% of the remaining lifetime", () => {
    expect(refreshDelayMs(1_000_000 + 3_600_000, 1_000_000)).toBe(2_880_000);
    expect(refreshDelayMs(20_000, 0)).toBe(16_000);
  });

  it("never asks for STUN-only servers, and never in a tight loop", () => {
    expect(refreshDelayMs(null, 5)).toBeNull();
    expect(refreshDelayMs(1_000, 5_000)).toBe(1_000);
  });
});

describe("pathFromStats", () => {
  const stats = (localType: string) => [
    { type: "transport", id: "T1", selectedCandidatePairId: "CP1" },
    { type: "candidate-pair", id: "CP1", localCandidateId: "L1", remoteCandidateId: "R1" },
    { type: "candidate-pair", id: "CP2", localCandidateId: "L2", remoteCandidateId: "R1" },
    { type: "local-candidate", id: "L1", candidateType: localType },
    { type: "local-candidate", id: "L2", candidateType: "host" },
    { type: "remote-candidate", id: "R1", candidateType: "host" },
  ];

  it("reads the local candidate of the selected pair", () => {
    expect(pathFromStats(stats("relay"))).toBe("relayed");
    expect(pathFromStats(stats("host"))).toBe("direct");
    expect(pathFromStats(stats("srflx"))).toBe("direct");
  });

  // Behind a symmetric NAT, the side without the relay sends straight to the
  // other's relay: its own end is peer-reflexive or server-reflexive.
  const toPeerRelay = (remote: { candidateType: string; address: string; port: number }) => [
    { type: "transport", id: "T1", selectedCandidatePairId: "CP1" },
    { type: "candidate-pair", id: "CP1", localCandidateId: "L1", remoteCandidateId: "R1" },
    { type: "local-candidate", id: "L1", candidateType: "prflx", address: "198.51.100.14", port: 40000 },
    { type: "remote-candidate", id: "R1", ...remote },
    { type: "remote-candidate", id: "R2", candidateType: "relay", address: "198.51.100.2", port: 50000 },
  ];

  it("says relayed when the far end of the pair is the peer's relay", () => {
    expect(pathFromStats(toPeerRelay({ candidateType: "relay", address: "198.51.100.2", port: 50000 }))).toBe(
      "relayed",
    );
  });

  it("knows the peer's relay when its check came first and it was filed as peer-reflexive", () => {
    expect(pathFromStats(toPeerRelay({ candidateType: "prflx", address: "198.51.100.2", port: 50000 }))).toBe(
      "relayed",
    );
    // A peer-reflexive address that is not one of the peer's relays is direct.
    expect(pathFromStats(toPeerRelay({ candidateType: "prflx", address: "198.51.100.12", port: 50000 }))).toBe(
      "direct",
    );
    expect(pathFromStats(toPeerRelay({ candidateType: "prflx", address: "198.51.100.2", port: 50001 }))).toBe("direct");
  });

  it("falls back to the nominated pair, and admits when it cannot tell", () => {
    expect(
      pathFromStats([
        { type: "candidate-pair", id: "CP", localCandidateId: "L", nominated: true, state: "succeeded" },
        { type: "local-candidate", id: "L", candidateType: "relay" },
      ]),
    ).toBe("relayed");
    expect(pathFromStats([{ type: "transport", id: "T" }])).toBe("unknown");
  });
});

describe("readDetails", () => {
  // The shapes each engine reports (fields trimmed to what is read).
  const pair = (bytes: number) => ({
    type: "candidate-pair",
    id: "CP",
    localCandidateId: "L",
    currentRoundTripTime: 0.012,
    bytesReceived: bytes,
    bytesSent: bytes / 2,
  });
  const chromium = (bytes: number) => [
    { type: "transport", id: "T", selectedCandidatePairId: "CP", bytesReceived: bytes, bytesSent: bytes / 2 },
    pair(bytes),
    { type: "local-candidate", id: "L", candidateType: "host" },
  ];
  // Firefox: a transport without byte counts; the pair has them.
  const firefox = (bytes: number) => [
    { type: "transport", id: "T", selectedCandidatePairId: "CP" },
    { ...pair(bytes), selected: true },
    { type: "local-candidate", id: "L", candidateType: "relay" },
  ];

  for (const [engine, report] of [
    ["Chromium", chromium],
    ["Firefox", firefox],
  ] as const) {
    it(`reads round trip and bitrates from ${engine}'s stats`, () => {
      const first = readDetails(report(0), null, 1_000);
      expect(first.details).toMatchObject({ rttMs: 12, receiveKbps: null, sendKbps: null });
      const second = readDetails(report(125_000), first.sample, 2_000);
      expect(second.details).toMatchObject({ rttMs: 12, receiveKbps: 1_000, sendKbps: 500 });
    });
  }

  it("finds the pair Firefox flags as selected when there are no transport stats", () => {
    expect(
      pathFromStats([
        { type: "candidate-pair", id: "A", localCandidateId: "L1", nominated: true, state: "succeeded" },
        { type: "candidate-pair", id: "B", localCandidateId: "L2", selected: true },
        { type: "local-candidate", id: "L1", candidateType: "host" },
        { type: "local-candidate", id: "L2", candidateType: "relay" },
      ]),
    ).toBe("relayed");
  });
});

describe("audioLevel", () => {
  it("takes audioLevel where the browser reports it", () => {
    expect(audioLevel({ type: "inbound-rtp", kind: "audio", audioLevel: 0.3 }, null).level).toBe(0.3);
  });

  it("derives the level from the energy received since the last sample where it does not", () => {
    const first = audioLevel({ type: "inbound-rtp", totalAudioEnergy: 1, totalSamplesDuration: 10 }, null);
    expect(first.level).toBe(0);
    // 0.25 s at a level of 0.2: energy grows by 0.2² × 0.25 = 0.01.
    const second = audioLevel(
      { type: "inbound-rtp", totalAudioEnergy: 1.01, totalSamplesDuration: 10.25 },
      first.sample,
    );
    expect(second.level).toBeCloseTo(0.2, 6);
  });
});
