import { describe, expect, it } from "vitest";
import { earliest, planLiveness } from "../../worker/room/liveness";
import { backoffDelay } from "../../site/src/net/backoff";

describe("planLiveness", () => {
  const idle = 60_000;

  it("drops sockets silent for the whole timeout", () => {
    const plan = planLiveness(
      [
        { id: "gone", lastSeen: 0 },
        { id: "fresh", lastSeen: 59_000 },
      ],
      60_000,
      idle,
    );
    expect(plan.idle).toEqual(["gone"]);
    expect(plan.recheckAt).toBeNull();
  });

  it("schedules a recheck only for sockets quiet for half the timeout or more", () => {
    expect(planLiveness([{ id: "a", lastSeen: 1_000 }], 30_000, idle).recheckAt).toBeNull();
    expect(planLiveness([{ id: "a", lastSeen: 0 }], 30_000, idle).recheckAt).toBe(60_000);
    expect(
      planLiveness(
        [
          { id: "a", lastSeen: 0 },
          { id: "b", lastSeen: 5_000 },
        ],
        40_000,
        idle,
      ).recheckAt,
    ).toBe(60_000);
  });

  it("earliest() ignores what is not scheduled", () => {
    expect(earliest(null, null)).toBeNull();
    expect(earliest(5, null)).toBe(5);
    expect(earliest(null, 7)).toBe(7);
    expect(earliest(9, 7)).toBe(7);
  });
});

describe("backoffDelay", () => {
  const options = { baseMs: 500, factor: 2, maxMs: 10_000 };

  it("doubles per attempt, with half of each step random", () => {
    expect(backoffDelay(0, options, () => 0)).toBe(250);
    expect(backoffDelay(0, options, () => 1)).toBe(500);
    expect(backoffDelay(3, options, () => 0)).toBe(2_000);
    expect(backoffDelay(3, options, () => 1)).toBe(4_000);
  });

  it("never waits longer than the ceiling", () => {
    for (const attempt of [5, 10, 50, 1_000])
      expect(backoffDelay(attempt, options, () => 1)).toBeLessThanOrEqual(10_000);
  });

  it("spreads a crowd of reconnects", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(20);
  });
});
