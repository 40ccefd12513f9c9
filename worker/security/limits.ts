// Limits from the environment, with the documented defaults.
import type { Env } from "../env";
import type { BucketLimits } from "./token-bucket";

// Sized for the worst honest case: a peer joining an 8-peer mesh sends an
// offer and trickled candidates to 7 peers at once (with clients that do not
// batch candidates, 15+ frames each), and again on an ICE restart.
export const DEFAULT_RATE_PER_SECOND = 50;
export const DEFAULT_BURST = 300;
export const DEFAULT_JOINS_PER_MINUTE = 30;

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function frameLimits(env: Pick<Env, "RATE_LIMIT_PER_SECOND" | "RATE_LIMIT_BURST">): BucketLimits {
  return {
    ratePerSecond: positive(env.RATE_LIMIT_PER_SECOND, DEFAULT_RATE_PER_SECOND),
    burst: positive(env.RATE_LIMIT_BURST, DEFAULT_BURST),
  };
}

export function joinLimits(env: Pick<Env, "JOIN_LIMIT_PER_MINUTE">): BucketLimits {
  const perMinute = positive(env.JOIN_LIMIT_PER_MINUTE, DEFAULT_JOINS_PER_MINUTE);
  return { ratePerSecond: perMinute / 60, burst: perMinute };
}
