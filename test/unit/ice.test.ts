import { describe, expect, it } from "vitest";
import { pathFromStats } from "../../site/src/ice-path";
import { refreshDelayMs } from "../../site/src/ice-refresh";

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
