// When to ask the room for fresh TURN credentials: at 80% of their lifetime,
// early enough that an ICE restart with the new ones finishes before the old
// ones stop working.

export const REFRESH_FRACTION = 0.8;
const MIN_DELAY_MS = 1_000;

/**
 * Milliseconds from `now` until the refresh, or null when nothing expires
 * (STUN only). Measured against the page's clock: a page whose clock runs
 * far ahead of the server's refreshes early, never late.
 */
export function refreshDelayMs(expiresAt: number | null, now: number): number | null {
  if (expiresAt === null) return null;
  return Math.max(MIN_DELAY_MS, Math.floor((expiresAt - now) * REFRESH_FRACTION));
}
