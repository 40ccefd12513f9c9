// Embed mode: the room page inside another site's <iframe> (the iframe API,
// docs/client.md). The framing page's origin comes in the URL (`parent`);
// events go to that origin only, and commands are taken only from the window
// that framed us at that origin. Who may frame the page at all is the
// server's frame-ancestors (EMBED_ORIGINS): a page not listed never loads.
import {
  EMBED_TAG,
  isPlainOrigin,
  readFrameCommand,
  type FrameCommand,
  type FrameEvent,
  type Tagged,
} from "../../../protocol/embed";
import type { Room } from "../client";
import type { LocalMedia } from "../media";

export interface Embed {
  /** The framing page's origin. */
  parent: string;
  /** The name to join with, when the embedding app knows it. */
  name: string | null;
  /** false: join at once with `name`, no pre-join screen. */
  prejoin: boolean;
}

/** Embed mode's settings from the page's address, or null when the page is not embedded (or not properly). */
export function readEmbed(search: string): Embed | null {
  const params = new URLSearchParams(search);
  const parent = params.get("parent") ?? "";
  if (params.get("embed") !== "1" || window.parent === window || !isPlainOrigin(parent)) return null;
  return { parent, name: params.get("name"), prejoin: params.get("prejoin") !== "0" };
}

export function tellParent(embed: Embed, event: FrameEvent): void {
  window.parent.postMessage({ ...event, tag: EMBED_TAG } satisfies Tagged<FrameEvent>, embed.parent);
}

/** Tells the framing page what the call does and does what it asks; returns how to stop. */
export function bridgeCall(embed: Embed, call: Room, media: LocalMedia): () => void {
  // Only { id, name } of a person goes out: what the embedding page may know of them.
  const stops = [
    call.on("joined", (self) => tellParent(embed, { type: "joined", self })),
    call.on("peer-joined", ({ id, name }) => tellParent(embed, { type: "peer-joined", peer: { id, name } })),
    call.on("peer-left", ({ id, name }) => tellParent(embed, { type: "peer-left", peer: { id, name } })),
    call.on("knock", (peer) => tellParent(embed, { type: "knock", peer })),
    call.on("left", (reason) => tellParent(embed, { type: "left", reason })),
  ];
  const run = (command: FrameCommand) => {
    switch (command.type) {
      case "mute":
        return media.setMic(!command.muted);
      case "camera":
        return media.setCamera(command.on);
      case "share-screen":
        if (!command.on) return media.stopShare();
        // Without the person's own gesture the browser may say no: the page's button still works.
        return void media.startShare().catch(() => {});
      case "hand":
        return call.raiseHand(command.raised);
      case "lock":
        return command.locked ? call.lock() : call.unlock();
      case "leave":
        return call.leave();
    }
  };
  const onMessage = (event: MessageEvent) => {
    if (event.source !== window.parent || event.origin !== embed.parent) return;
    const command = readFrameCommand(event.data);
    if (command) run(command);
  };
  window.addEventListener("message", onMessage);
  return () => {
    window.removeEventListener("message", onMessage);
    for (const stop of stops) stop();
  };
}
