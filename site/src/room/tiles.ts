// Video tiles: one for this page, one per remote peer, each with its name
// and its connection state in words.
import { el } from "../dom";

export interface Tile {
  readonly root: HTMLElement;
  setStream(stream: MediaStream): void;
  setStatus(text: string): void;
  setName(text: string): void;
  remove(): void;
}

export function createTile(options: { peerId: string; name: string; self: boolean }): Tile {
  const video = el("video", { autoplay: true, playsinline: true });
  // Our own audio would echo back; the preview is muted and mirrored.
  video.muted = options.self;
  if (options.self) video.classList.add("mirrored");
  const status = el("span", { class: "tile-status" });
  const label = el("span", { class: "tile-name" }, options.self ? `${options.name} (you)` : options.name);
  const root = el(
    "figure",
    {
      class: "tile",
      "data-peer-id": options.peerId,
      "aria-label": options.self ? `${options.name} (you)` : options.name,
    },
    video,
    el(
      "figcaption",
      {},
      el("span", { class: "tile-name" }, options.self ? `${options.name} (you)` : options.name),
      status,
    ),
  );
  return {
    root,
    setStream(stream) {
      if (video.srcObject !== stream) video.srcObject = stream;
    },
    setStatus(text) {
      status.textContent = text;
    },
    setName(text) {
      label.textContent = text;
      root.setAttribute("aria-label", text);
    },
    remove() {
      video.srcObject = null;
      root.remove();
    },
  };
}
