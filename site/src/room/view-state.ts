// The room page's one value for its views: the call's facts (the library's)
// with this person's arrangement of the screen (the page's own).
import type { CallState, RoomFacts, ViewState } from "../call/state";

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
