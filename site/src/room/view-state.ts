// The room page's one value for its views: the call's facts (the library's)
// with this person's arrangement of the screen (the page's own).
import type { Person, RoomFacts } from "../client";

export type PanelName = "chat" | "people" | "files";

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

export function initialView(receiveOnly: boolean): ViewState {
  return { pinned: null, unpinnedShare: null, panel: null, unread: 0, receiveOnly };
}

/** New facts under the page's view: a pin on someone who left goes, and our own tile is "You" until the room names us. */
export function viewOf(facts: RoomFacts, view: ViewState): CallState {
  const people = facts.people.map((p) => (p.self && !p.name ? { ...p, name: "You" } : p));
  const pinned = view.pinned !== null && people.some((p) => p.id === view.pinned) ? view.pinned : null;
  return {
    people,
    signaling: facts.signaling,
    lock: facts.lock,
    knocks: facts.knocks,
    waiting: facts.waiting,
    pinned,
    unpinnedShare: view.unpinnedShare,
    panel: view.panel,
    unread: view.unread,
    receiveOnly: view.receiveOnly,
  };
}

/** The tile that takes the stage: the one pinned, else a screen someone shares (unless unpinned). */
export function spotlight(state: CallState): string | null {
  if (state.pinned !== null && state.people.some((p) => p.id === state.pinned)) return state.pinned;
  const sharing = state.people.find((p) => !p.self && p.screen && p.id !== state.unpinnedShare);
  return sharing?.id ?? null;
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
