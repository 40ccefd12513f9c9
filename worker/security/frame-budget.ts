// Per-socket frame budget in a room: a token bucket for bursts, and a
// window that recognises sustained abuse (frames sent at several times the
// allowed rate for a long stretch) so such a socket can be closed.
import { fullBucket, take, type Bucket, type BucketLimits } from "./token-bucket";

export const ABUSE_FACTOR = 5;
export const ABUSE_WINDOW_MS = 10_000;

export interface FrameBudget {
  bucket: Bucket;
  windowStart: number;
  windowFrames: number;
}

export type FrameVerdict = "ok" | "limited" | "abusive";

export function newFrameBudget(limits: BucketLimits, now: number): FrameBudget {
  return { bucket: fullBucket(limits, now), windowStart: now, windowFrames: 0 };
}

export function judgeFrame(budget: FrameBudget, limits: BucketLimits, now: number): FrameVerdict {
  if (now - budget.windowStart >= ABUSE_WINDOW_MS) {
    budget.windowStart = now;
    budget.windowFrames = 0;
  }
  budget.windowFrames += 1;
  if (take(budget.bucket, limits, now)) return "ok";
  // The whole window at ABUSE_FACTOR times the rate, bursts included.
  const abuseThreshold = ABUSE_FACTOR * limits.ratePerSecond * (ABUSE_WINDOW_MS / 1000);
  return budget.windowFrames > abuseThreshold ? "abusive" : "limited";
}

/** The budgets of a room's sockets, by peer id. */
export class FrameBudgets {
  private readonly budgets = new Map<string, FrameBudget>();

  constructor(private readonly limits: BucketLimits) {}

  /** Spends one frame of `id`'s budget. */
  judge(id: string, now: number): FrameVerdict {
    let budget = this.budgets.get(id);
    if (!budget) this.budgets.set(id, (budget = newFrameBudget(this.limits, now)));
    return judgeFrame(budget, this.limits, now);
  }

  forget(id: string): void {
    this.budgets.delete(id);
  }
}
