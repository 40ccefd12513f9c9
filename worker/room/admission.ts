// Who gets a seat, as pure decisions. A join is decided twice: once on
// arrival (a full room turns a newcomer away before any work), and again
// after the awaits (minting credentials, hashing the token), when other joins
// and leaves may have run; from that second decision on the room does
// everything without yielding, so taking the seat, the welcome and the
// announcement happen as one step. A locked room seats nobody new: a
// newcomer knocks instead, and waits until a seated peer answers.

export interface Lobby {
  locked: boolean;
  /** Knockers waiting now. */
  knockers: number;
  lobbyCapacity: number;
}

export interface Arrival extends Lobby {
  /** The socket presented a resume token for a seat that is valid now. */
  claimsSeat: boolean;
  seats: number;
  capacity: number;
}

/**
 * A newcomer who may not take a seat now: a full room turns it away (even
 * when locked: a lobby place would only be a longer way to the same no),
 * a locked one lets it knock while the lobby has room.
 */
function newcomer(a: Lobby & { seats: number; capacity: number }): "turn-away" | "knock" | "lobby-full" | null {
  if (a.seats >= a.capacity) return "turn-away";
  if (!a.locked) return null;
  return a.knockers >= a.lobbyCapacity ? "lobby-full" : "knock";
}

/** On arrival: a resume always goes on (its seat is counted already, locked or not); a newcomer only if a seat is free. */
export function onArrival(a: Arrival): "turn-away" | "knock" | "lobby-full" | "continue" {
  return a.claimsSeat ? "continue" : (newcomer(a) ?? "continue");
}

export interface Settling extends Lobby {
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
export function afterAwaits(s: Settling): "resume" | "join" | "retry" | "turn-away" | "knock" | "lobby-full" {
  if (s.claimed) return s.seatStillValid ? "resume" : "retry";
  return newcomer(s) ?? "join";
}

export interface Answer {
  /** The knock is waiting (not answered, not being admitted, its socket open). */
  pending: boolean;
  seats: number;
  /** Admits under way: each will take a seat. */
  admitting: number;
  capacity: number;
}

/** An `admit` from a seated peer. A full room keeps the knocker waiting: someone may leave. */
export function onAdmit(a: Answer): "admit" | "unknown-knock" | "room-full" {
  if (!a.pending) return "unknown-knock";
  return a.seats + a.admitting >= a.capacity ? "room-full" : "admit";
}
