// Who gets a seat, as pure decisions. A join is decided twice: once on
// arrival (a full room turns a newcomer away before any work), and again
// after the awaits (minting credentials, hashing the token), when other joins
// and leaves may have run; from that second decision on the room does
// everything without yielding, so taking the seat, the welcome and the
// announcement happen as one step.

export interface Arrival {
  /** The socket presented a resume token for a seat that is valid now. */
  claimsSeat: boolean;
  seats: number;
  capacity: number;
}

/** On arrival: a resume always goes on (its seat is counted already); a newcomer only if a seat is free. */
export function onArrival(a: Arrival): "turn-away" | "continue" {
  return !a.claimsSeat && a.seats >= a.capacity ? "turn-away" : "continue";
}

export interface Settling {
  /** A resume token was honoured on arrival. */
  claimed: boolean;
  /** ...and its seat is still valid now. */
  seatStillValid: boolean;
  seats: number;
  capacity: number;
}

/**
 * After the awaits. `retry`: the claimed seat ended meanwhile (its grace ran
 * out, or it left); the client reconnects and gets a fresh identity.
 */
export function afterAwaits(s: Settling): "resume" | "join" | "retry" | "turn-away" {
  if (s.claimed) return s.seatStillValid ? "resume" : "retry";
  return s.seats >= s.capacity ? "turn-away" : "join";
}
