// /embed.js: a Tincan room inside any page, the way Jitsi's iframe API does
// it. One classic script, no dependencies, one global (`TincanFrame`):
//
//   <script src="https://tincan.example/embed.js"></script>
//   const call = new TincanFrame(document.getElementById("call"), { room: "standup", name: "Ada" });
//   call.on("peer-joined", (peer) => console.log(peer.name, "joined"));
//   call.mute(true);
//
// The room page runs in the frame and does everything; this only frames it
// and carries commands and events over postMessage, to and from the Tincan
// origin alone. The server must list the embedding page's origin in
// EMBED_ORIGINS, or the browser refuses the frame.
import {
  EMBED_TAG,
  readFrameEvent,
  type EmbedPerson,
  type FrameCommand,
  type FrameEvent,
  type Tagged,
} from "../../../protocol/embed";

export interface TincanFrameOptions {
  room: string;
  /** The name to join with; the person can change it on the pre-join screen. */
  name?: string;
  /** The Tincan site; by default the one this script came from. */
  server?: string;
  /** false (with a name): join at once, without the pre-join screen. */
  prejoin?: boolean;
}

type FrameEvents = {
  ready: [];
  joined: [EmbedPerson];
  "peer-joined": [EmbedPerson];
  "peer-left": [EmbedPerson];
  knock: [EmbedPerson];
  left: [reason: string];
};

// Where this script came from, read while it runs (currentScript is null later).
const scriptOrigin = (() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.src;
  return src ? new URL(src).origin : location.origin;
})();

export class TincanFrame {
  readonly iframe: HTMLIFrameElement;
  readonly #origin: string;
  readonly #listeners = new Map<keyof FrameEvents, Set<(...args: never[]) => void>>();
  readonly #onMessage: (event: MessageEvent) => void;

  constructor(container: HTMLElement, options: TincanFrameOptions) {
    this.#origin = new URL(options.server ?? scriptOrigin).origin;
    const url = new URL(`/${encodeURIComponent(options.room)}`, this.#origin);
    url.searchParams.set("embed", "1");
    url.searchParams.set("parent", location.origin);
    if (options.name !== undefined) url.searchParams.set("name", options.name);
    if (options.prejoin === false) url.searchParams.set("prejoin", "0");
    this.iframe = document.createElement("iframe");
    this.iframe.allow = "camera; microphone; display-capture; fullscreen; autoplay";
    this.iframe.title = `Tincan room ${options.room}`;
    this.iframe.style.cssText = "border:0;width:100%;height:100%";
    this.iframe.src = url.href;
    this.#onMessage = (event) => {
      if (event.origin !== this.#origin || event.source !== this.iframe.contentWindow) return;
      const message = readFrameEvent(event.data);
      if (message) this.#emit(message);
    };
    window.addEventListener("message", this.#onMessage);
    container.append(this.iframe);
  }

  on<K extends keyof FrameEvents>(event: K, listener: (...args: FrameEvents[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
    return () => this.off(event, listener);
  }

  off<K extends keyof FrameEvents>(event: K, listener: (...args: FrameEvents[K]) => void): void {
    this.#listeners.get(event)?.delete(listener as (...args: never[]) => void);
  }

  mute(muted: boolean): void {
    this.#send({ type: "mute", muted });
  }
  camera(on: boolean): void {
    this.#send({ type: "camera", on });
  }
  /** Browsers want the person's own click inside the frame to start a share; this may be refused. */
  shareScreen(on: boolean): void {
    this.#send({ type: "share-screen", on });
  }
  hand(raised: boolean): void {
    this.#send({ type: "hand", raised });
  }
  lock(locked: boolean): void {
    this.#send({ type: "lock", locked });
  }
  leave(): void {
    this.#send({ type: "leave" });
  }

  /** Removes the frame and stops listening. */
  destroy(): void {
    window.removeEventListener("message", this.#onMessage);
    this.#listeners.clear();
    this.iframe.remove();
  }

  #send(command: FrameCommand): void {
    this.iframe.contentWindow?.postMessage({ ...command, tag: EMBED_TAG } satisfies Tagged<FrameCommand>, this.#origin);
  }

  #emit(message: FrameEvent): void {
    const args: unknown[] =
      message.type === "ready"
        ? []
        : message.type === "joined"
          ? [message.self]
          : message.type === "left"
            ? [message.reason]
            : [message.peer];
    for (const listener of [...(this.#listeners.get(message.type) ?? [])]) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        // One app listener that throws must not silence the others.
        console.error("TincanFrame: a listener threw:", error);
      }
    }
  }
}

(globalThis as { TincanFrame?: typeof TincanFrame }).TincanFrame = TincanFrame;
