// The call as the views see it: one typed value, replaced on every change.
// Nothing here is read back from the DOM; views render from it alone. The
// facts (RoomFacts) are the call's, written by Call alone; the view state
// (panels, pins, unread) is the page's.
import type { PeerInfo } from "../../../protocol";
import type { IcePath } from "../peer/ice-path";
import type { LinkState } from "../peer/link-state";

export type PanelName = "chat" | "people" | "files";

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

/** What only the room page keeps: how this person arranged the screen. */
export interface ViewState {
  /** Pinned by this person, or null. */
  pinned: string | null;
  /** A screen share this person unpinned: it is not pinned again until it stops. */
  unpinnedShare: string | null;
  panel: PanelName | null;
  unread: number;
  /** Joined without camera or microphone (blocked or missing). */
  receiveOnly: boolean;
}

export type CallState = RoomFacts & ViewState;

export function initialFacts(self: Person): RoomFacts {
  return {
    people: [self],
    signaling: { phase: "connecting", nextTryAt: null, attempt: 0 },
    lock: { locked: false, by: null },
    knocks: [],
    waiting: false,
  };
}

/** The tile that takes the stage: the one pinned, else a screen someone shares (unless unpinned). */
export function spotlight(state: CallState): string | null {
  if (state.pinned !== null && state.people.some((p) => p.id === state.pinned)) return state.pinned;
  const sharing = state.people.find((p) => !p.self && p.screen && p.id !== state.unpinnedShare);
  return sharing?.id ?? null;
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

/** Up to two letters for a name: "Ada Lovelace" → "AL", "grace" → "G". */
export function initials(name: string): string {
  const words = name
    .replace(/\(you\)$/, "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words.slice(0, 1);
  return letters.map((w) => Array.from(w)[0]!.toUpperCase()).join("") || "?";
}

/** A stable colour for a person (a hue 0-359 from their id), so initials keep their colour. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const c of id) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash % 360;
}
