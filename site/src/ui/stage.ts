// The stage: every person's tile, placed by ./layout from the call state
// and the stage's own size. Tiles are kept per person (by id, ours under
// "self") so video elements survive every re-render.
import type { ConnectionState, IcePath, Person } from "../client";
import { spotlight, type CallState } from "../room/view-state";
import { el } from "../dom";
import { layout } from "./layout";
import { Tile, type TileActions } from "./tile";

/** A remote peer's connection in words. */
export function peerWords(state: ConnectionState | null, path: IcePath): string {
  switch (state) {
    case "connected":
      return path === "relayed" ? "connected, relayed" : path === "direct" ? "connected, direct" : "connected";
    case "reconnecting":
      return "reconnecting";
    case "failed":
      return "connection failed, retrying";
    case "blocked":
      return "can't connect: your networks block a direct call";
    case "closed":
      return "gone";
    default:
      return "connecting";
  }
}

/** Our own place in the room in words. */
export function selfWords(state: CallState): string {
  switch (state.signaling.phase) {
    case "connected":
      return state.receiveOnly ? "in the room, receive-only" : "in the room";
    case "connecting":
      return "joining…";
    case "reconnecting":
      return "reconnecting to the room…";
  }
}

const keyOf = (person: Person) => (person.self ? "self" : person.id);

export class Stage {
  readonly root: HTMLElement;
  readonly #tiles = new Map<string, Tile>();
  readonly #observer: ResizeObserver;
  #state: CallState | null = null;
  /**
   * The stage's size, as the ResizeObserver last said. Reading clientWidth
   * in render would force a layout on every state change (and the state
   * changes many times while a call connects).
   */
  #size = { width: 0, height: 0 };

  constructor(private readonly actions: TileActions) {
    this.root = el("div", { class: "stage-tiles" });
    this.#observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      this.#size = { width, height };
      this.#render();
    });
    this.#observer.observe(this.root);
  }

  update(state: CallState): void {
    this.#state = state;
    this.#render();
  }

  destroy(): void {
    this.#observer.disconnect();
    for (const tile of this.#tiles.values()) tile.destroy();
    this.#tiles.clear();
  }

  #render(): void {
    const state = this.#state;
    if (!state) return;
    const keys = new Set(state.people.map(keyOf));
    for (const [key, tile] of this.#tiles) {
      if (keys.has(key)) continue;
      tile.destroy();
      this.#tiles.delete(key);
    }
    const focus = spotlight(state);
    const focused = state.people.find((p) => p.id === focus);
    this.root.classList.toggle("has-spotlight", focus !== null);
    const placed = layout({
      ...this.#size,
      tiles: state.people.map((p) => ({ key: keyOf(p), self: p.self })),
      spotlight: focused ? keyOf(focused) : null,
    });
    for (const person of state.people) {
      const key = keyOf(person);
      let tile = this.#tiles.get(key);
      if (!tile) {
        tile = new Tile(person, this.actions);
        this.#tiles.set(key, tile);
        this.root.append(tile.root);
      }
      tile.update({
        person,
        status: person.self ? selfWords(state) : peerWords(person.link, person.path),
        pinned: focus !== null && person.id === focus,
        canPin: state.people.length > 1,
        floating: placed.floating === key,
        rect: placed.rects.get(key) ?? { x: 0, y: 0, w: 0, h: 0 },
      });
    }
  }
}
