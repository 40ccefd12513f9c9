import { describe, expect, it } from "vitest";
import { decideOnDescription, isPolite, type NegotiationState } from "../../site/src/peer/negotiation";

const base: NegotiationState = { polite: false, makingOffer: false, signalingState: "stable", answerPending: false };

describe("isPolite", () => {
  it("makes exactly one side of every pair polite", () => {
    for (const [a, b] of [
      ["AAAA", "BBBB"],
      ["zz", "z"],
      ["a-1", "a_1"],
      ["Qx9", "qx9"],
    ] as const) {
      expect(isPolite(a, b)).not.toBe(isPolite(b, a));
    }
  });
});

describe("decideOnDescription", () => {
  it("applies an offer when stable", () => {
    expect(decideOnDescription("offer", base)).toEqual({ collision: false, ignore: false });
  });

  it("sees a collision while making an offer: impolite ignores, polite yields", () => {
    const making = { ...base, makingOffer: true };
    expect(decideOnDescription("offer", making)).toEqual({ collision: true, ignore: true });
    expect(decideOnDescription("offer", { ...making, polite: true })).toEqual({ collision: true, ignore: false });
  });

  it("sees a collision with an offer already sent and unanswered", () => {
    const waiting = { ...base, signalingState: "have-local-offer" as const };
    expect(decideOnDescription("offer", waiting)).toEqual({ collision: true, ignore: true });
    expect(decideOnDescription("offer", { ...waiting, polite: true })).toEqual({ collision: true, ignore: false });
  });

  it("is ready for an offer while an answer is being applied (srdAnswerPending)", () => {
    const applying = { ...base, signalingState: "have-local-offer" as const, answerPending: true };
    expect(decideOnDescription("offer", applying)).toEqual({ collision: false, ignore: false });
  });

  it("never ignores an answer", () => {
    const waiting = { ...base, signalingState: "have-local-offer" as const, makingOffer: true };
    expect(decideOnDescription("answer", waiting)).toEqual({ collision: false, ignore: false });
  });
});
