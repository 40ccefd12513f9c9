// One person's tile: their video (cropped to fill, a screen share never),
// their initials on their colour while their camera is off, and what
// everyone should see of them: microphone off, hand raised, speaking (a
// ring, and the word for screen readers), the connection in words, and
// buttons to pin, go fullscreen and (for others) read the connection's
// details. It renders from a Person and holds no state of its own beyond
// what the browser keeps (the details being open).
import type { Person } from "../client";
import { hueOf, initials } from "../room/view-state";
import { el } from "../dom";
import { icon, setIcon } from "./icons";
import type { Rect } from "./layout";

export interface TileView {
  person: Person;
  /** The connection in words ("connected, direct", "in the room", …). */
  status: string;
  pinned: boolean;
  /** Pinning makes sense (more than one person). */
  canPin: boolean;
  floating: boolean;
  rect: Rect;
}

export interface TileActions {
  togglePin(person: Person): void;
  /** Starts showing the connection's details; returns how to stop. */
  details(person: Person, show: (text: string) => void): (() => void) | null;
}

const canFullscreen = typeof document !== "undefined" && "requestFullscreen" in document.documentElement;

export class Tile {
  readonly root: HTMLElement;
  readonly #video: HTMLVideoElement;
  readonly #avatar: HTMLElement;
  readonly #letters: HTMLElement;
  readonly #label: HTMLElement;
  readonly #status: HTMLElement;
  readonly #speakingWord: HTMLElement;
  readonly #micOff: HTMLElement;
  readonly #hand: HTMLElement;
  readonly #pin: HTMLButtonElement;
  readonly #fullscreen: HTMLButtonElement | null;
  readonly #detailsButton: HTMLButtonElement | null;
  readonly #details: HTMLElement;
  #stopDetails: (() => void) | null = null;
  #last: TileView | null = null;
  #key = "";
  /** The latest view, rendered or not: what the buttons act on. */
  #latest: TileView | null = null;

  constructor(
    person: Person,
    private readonly actions: TileActions,
  ) {
    this.#video = el("video", { autoplay: true, playsinline: true });
    // Our own audio would echo back; the preview is muted and mirrored.
    this.#video.muted = person.self;
    if (person.self) this.#video.classList.add("mirrored");
    this.#letters = el("span", { "aria-hidden": "true" });
    this.#avatar = el(
      "div",
      { class: "tile-avatar", role: "img", "aria-label": "Camera off", hidden: true },
      this.#letters,
    );
    this.#label = el("span", { class: "tile-name" });
    this.#micOff = el("span", { class: "tile-flag", role: "img", "aria-label": "Microphone off", hidden: true });
    this.#micOff.append(icon("mic-off"));
    this.#hand = el("span", { class: "tile-flag hand", role: "img", "aria-label": "Hand raised", hidden: true });
    this.#hand.append(icon("hand"));
    this.#status = el("span", { class: "tile-status" });
    this.#speakingWord = el("span", { class: "tile-speaking visually-hidden", hidden: true }, "speaking");
    this.#pin = el("button", { type: "button", class: "tile-button" });
    this.#pin.addEventListener("click", () => this.#latest && this.actions.togglePin(this.#latest.person));
    this.#fullscreen = canFullscreen
      ? el("button", { type: "button", class: "tile-button" }, icon("fullscreen"))
      : null;
    this.#fullscreen?.addEventListener("click", () => void this.root.requestFullscreen().catch(() => {}));
    this.#details = el("p", { class: "tile-details", hidden: true, "aria-live": "polite" });
    this.#detailsButton = person.self
      ? null
      : el("button", { type: "button", class: "tile-button", "aria-expanded": "false" }, icon("details"));
    this.#detailsButton?.addEventListener("click", () => this.#toggleDetails());
    const buttons = el("div", { class: "tile-buttons" }, this.#pin, this.#fullscreen, this.#detailsButton);
    const caption = el("figcaption", {}, this.#micOff, this.#hand, this.#label, this.#status, this.#speakingWord);
    this.root = el("figure", { class: "tile" }, this.#video, this.#avatar, caption, buttons, this.#details);
  }

  update(view: TileView): void {
    const { person } = view;
    this.#latest = view;
    if (this.#video.srcObject !== person.stream) this.#video.srcObject = person.stream;
    // The stage updates every tile on every change of the call (someone's
    // speaking flips several times a second): a tile whose view is the same
    // writes nothing, so the page restyles nothing.
    const { x, y, w, h } = view.rect;
    const videoTracks = person.stream?.getVideoTracks().length ?? 0;
    const key = [person.id, person.name, person.mic, person.camera, person.screen, person.hand, person.speaking]
      .concat([videoTracks > 0, view.status, view.pinned, view.canPin, view.floating])
      .concat([x, y, w, h].map(String))
      .join("|");
    if (key === this.#key) return;
    this.#key = key;
    const before = this.#last;
    this.#last = view;
    const name = person.self ? `${person.name} (you)` : person.name;
    if (before?.person.name !== person.name || before.person.self !== person.self) {
      this.#label.textContent = name;
      this.root.setAttribute("aria-label", name);
      this.#letters.textContent = initials(person.name);
      this.root.style.setProperty("--hue", String(hueOf(person.id || person.name)));
      this.#fullscreen?.setAttribute("aria-label", `Fullscreen ${name}`);
      this.#fullscreen?.setAttribute("title", `Fullscreen ${name}`);
      this.#detailsButton?.setAttribute("aria-label", `Connection details for ${person.name}`);
      this.#detailsButton?.setAttribute("title", `Connection details for ${person.name}`);
    }
    this.root.dataset["peerId"] = person.id;
    // A camera not said yet shows what arrives: video if a video track came, initials until then.
    const cameraOff = !person.screen && (person.camera === false || (person.camera === null && videoTracks === 0));
    this.#avatar.hidden = !cameraOff;
    this.#micOff.hidden = person.mic !== false;
    this.#hand.hidden = !person.hand;
    if (before?.status !== view.status) this.#status.textContent = view.status;
    this.#speakingWord.hidden = !person.speaking;
    this.root.classList.toggle("is-speaking", person.speaking);
    this.root.classList.toggle("is-camera-off", cameraOff);
    this.root.classList.toggle("is-screen", person.screen);
    this.root.classList.toggle("is-floating", view.floating);
    this.root.classList.toggle("is-pinned", view.pinned);
    this.#pin.hidden = !view.canPin;
    const pinLabel = `${view.pinned ? "Unpin" : "Pin"} ${name}`;
    if (this.#pin.getAttribute("aria-label") !== pinLabel) {
      this.#pin.setAttribute("aria-label", pinLabel);
      this.#pin.setAttribute("title", pinLabel);
      this.#pin.setAttribute("aria-pressed", String(view.pinned));
      setIcon(this.#pin, view.pinned ? "unpin" : "pin");
    }
    const at = before?.rect;
    if (!at || at.x !== x || at.y !== y || at.w !== w || at.h !== h) {
      Object.assign(this.root.style, { left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${h}px` });
    }
  }

  destroy(): void {
    this.#stopDetails?.();
    this.#video.srcObject = null;
    this.root.remove();
  }

  #toggleDetails(): void {
    if (!this.#latest || !this.#detailsButton) return;
    const opening = this.#stopDetails === null;
    if (opening)
      this.#stopDetails = this.actions.details(this.#latest.person, (text) => (this.#details.textContent = text));
    else {
      this.#stopDetails?.();
      this.#stopDetails = null;
    }
    const open = this.#stopDetails !== null;
    this.#detailsButton.setAttribute("aria-expanded", String(open));
    this.#details.hidden = !open;
  }
}
