// Revocable TURN credentials a peer holds, so they can be ended when its
// seat is released.

export interface TurnCredentialRef {
  username: string;
  /** ms since epoch. */
  expiresAt: number;
}

// A peer refreshing at 80% of the TTL never holds more than two live
// credentials; a few more cover bursts of reconnects.
const MAX_TURN_REFS = 8;

/** `refs` plus a new one, dropping those that have expired anyway. */
export function addTurnRef(refs: TurnCredentialRef[], ref: TurnCredentialRef, now: number): TurnCredentialRef[] {
  return [...refs.filter((r) => r.expiresAt > now), ref].slice(-MAX_TURN_REFS);
}

export function liveUsernames(refs: TurnCredentialRef[], now: number): string[] {
  return refs.filter((r) => r.expiresAt > now).map((r) => r.username);
}
