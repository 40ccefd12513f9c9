// Video tiles: one for this page, one per remote peer, each with its name,
// its connection state in words, a speaking indicator, and (for remote
// peers) connection details on demand.
import type { PeerStateMessage } from "../../../protocol";
import { el } from "../dom";

export interface Tile {
  readonly root: HTMLElement;
  setStream(stream: MediaStream): void;
  setStatus(text: string): void;
  setName(text: string): void;
  setSpeaking(speaking: boolean): void;
  /** What the peer says of its media: shown as icons with accessible names. */
  setPeerState(state: PeerStateMessage): void;
  /** Remote tiles: called to start showing details; returns a function that stops. */
  onDetails(start: (show: (text: string) => void) => () => void): void;
  remove(): void;
}

export function createTile(options: { peerId: string; name: string; self: boolean }): Tile {
  const video = el("video", { autoplay: true, playsinline: true });
  // Our own audio would echo back; the preview is muted and mirrored.
  video.muted = options.self;
  if (options.self) video.classList.add("mirrored");
  const status = el("span", { class: "tile-status" });
  const speaking = el("span", { class: "tile-speaking", hidden: true }, "speaking");
  let name = options.self ? `${options.name} (you)` : options.name;
  const label = el("span", { class: "tile-name" }, name);
  const details = el("p", { class: "tile-details", hidden: true, "aria-live": "polite" });
  const detailsButton = el("button", { type: "button", class: "tile-more", "aria-expanded": "false" }, "Details");
  detailsButton.hidden = options.self;
  const micOff = el("span", { class: "tile-flag mic-off", role: "img", "aria-label": "Microphone off", hidden: true });
  const cameraOff = el("span", {
    class: "tile-flag camera-off",
    role: "img",
    "aria-label": "Camera off",
    hidden: true,
  });
  const caption = el("figcaption", {}, label, micOff, cameraOff, status, speaking, detailsButton);
  const root = el(
    "figure",
    { class: "tile", "data-peer-id": options.peerId, "aria-label": name },
    video,
    caption,
    details,
  );
  let stopDetails: (() => void) | null = null;
  let startDetails: ((show: (text: string) => void) => () => void) | null = null;
  const setDetailsName = () => detailsButton.setAttribute("aria-label", `Connection details for ${name}`);
  setDetailsName();
  detailsButton.addEventListener("click", () => {
    const open = stopDetails === null && startDetails !== null;
    detailsButton.setAttribute("aria-expanded", String(open));
    details.hidden = !open;
    if (open) {
      stopDetails = startDetails!((text) => (details.textContent = text));
    } else {
      stopDetails?.();
      stopDetails = null;
    }
  });

  return {
    root,
    setStream(stream) {
      if (video.srcObject !== stream) video.srcObject = stream;
    },
    setStatus(text) {
      status.textContent = text;
    },
    setName(text) {
      name = text;
      label.textContent = text;
      root.setAttribute("aria-label", text);
      setDetailsName();
    },
    setSpeaking(on) {
      speaking.hidden = !on;
      root.classList.toggle("is-speaking", on);
    },
    setPeerState(state) {
      micOff.hidden = state.mic;
      cameraOff.hidden = state.camera || state.screen;
      root.classList.toggle("is-camera-off", !state.camera && !state.screen);
    },
    onDetails(start) {
      startDetails = start;
    },
    remove() {
      stopDetails?.();
      video.srcObject = null;
      root.remove();
    },
  };
}
