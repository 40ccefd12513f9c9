// Reconnect timing: exponential backoff with jitter, so a room full of
// pages that lost the server at once does not come back in lockstep.

export interface BackoffOptions {
  /** First delay, ms. */
  baseMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /** Ceiling, ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, factor: 2, maxMs: 10_000 };

/**
 * Delay before reconnect attempt `attempt` (0 for the first): half the
 * exponential step fixed, half random ("equal jitter"), never over maxMs.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const step = Math.min(options.maxMs, options.baseMs * options.factor ** Math.max(0, attempt));
  return Math.round(step / 2 + (random() * step) / 2);
}
