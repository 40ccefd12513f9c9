// The call's facts: one typed value, replaced on every change, written by
// Call alone and read by anyone (a Room, the room page's views, an app).
// How a page arranges its screen is the page's (room/view-state.ts).
import type { PeerInfo } from "../../../protocol";
import type { IcePath } from "../peer/ice-path";
import type { LinkState } from "../peer/link-state";

export interface Person {
  /** The server-made id; the page's own person has "" until its welcome. */
  id: string;
  name: string;
  self: boolean;
  /** What we see and hear of them (our own preview for ourselves). */
  stream: MediaStream | null;
  /**
   * Said by the peer (its `state` message) or known from our own media; null
   * until a peer first says it (its page sends it the moment their channel
   * opens). A guess here would show a muted person as heard.
   */
  mic: boolean | null;
  camera: boolean | null;
  screen: boolean;
  hand: boolean;
  speaking: boolean;
  /** The connection to them; null for ourselves. */
  link: LinkState | null;
  path: IcePath;
  /** Twelve digits both ends compute from this connection's fingerprints; null until known, and for ourselves. */
  safetyCode: string | null;
  /** Set by hand once the code was compared over the call; cleared when the code changes. */
  verified: boolean;
}

export type SignalingPhase = "connecting" | "connected" | "reconnecting";

/** What the call knows: written by Call, read by anyone (the page, an app). */
export interface RoomFacts {
  /** Ourselves first, then the others in the order they joined. */
  people: Person[];
  signaling: { phase: SignalingPhase; nextTryAt: number | null; attempt: number };
  /** The room's lock as the room last said; `by` is a peer id. */
  lock: { locked: boolean; by: string | null };
  /** People knocking at the locked room, in the order they knocked. */
  knocks: PeerInfo[];
  /** We knocked at a locked room and wait for someone inside to let us in. */
  waiting: boolean;
}

export function initialFacts(self: Person): RoomFacts {
  return {
    people: [self],
    signaling: { phase: "connecting", nextTryAt: null, attempt: 0 },
    lock: { locked: false, by: null },
    knocks: [],
    waiting: false,
  };
}

/** Ourselves: always the first person of the facts (present from before the welcome). */
export function selfOf(facts: { people: Person[] }): Person {
  return facts.people[0]!;
}

/** One person changed; everyone else as they were. */
export function withPerson<S extends { people: Person[] }>(state: S, id: string, change: Partial<Person>): S {
  let found = false;
  const people = state.people.map((p) => {
    if (p.id !== id) return p;
    found = true;
    return { ...p, ...change };
  });
  return found ? { ...state, people } : state;
}
