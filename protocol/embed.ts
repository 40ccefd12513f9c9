// The iframe API's messages (docs/client.md, the iframe API): what the room
// page in embed mode tells the page that framed it, and what that page may
// ask of it, over postMessage. Both ends check the sender (origin and
// window) and read with the readers below, which never throw: a message of
// another shape (another library's, a browser extension's) is ignored.

/** Every message of ours carries this tag, so others' postMessage traffic is told apart at once. */
export const EMBED_TAG = "tincan-embed";

export interface EmbedPerson {
  id: string;
  name: string;
}

/** From the room page to the embedding page. */
export type FrameEvent =
  /** The room page loaded in embed mode (before joining). */
  | { type: "ready" }
  | { type: "joined"; self: EmbedPerson }
  | { type: "peer-joined"; peer: EmbedPerson }
  | { type: "peer-left"; peer: EmbedPerson }
  /** Someone knocks at the locked room (the room page shows Admit and Deny). */
  | { type: "knock"; peer: EmbedPerson }
  /** Out of the room for good: `left`, `replaced`, `room-full`, `denied` or `lobby-full`. */
  | { type: "left"; reason: string };

/** From the embedding page to the room page. */
export type FrameCommand =
  | { type: "mute"; muted: boolean }
  | { type: "camera"; on: boolean }
  /** Starting a share needs the person's own gesture in most browsers: the room page may refuse. */
  | { type: "share-screen"; on: boolean }
  | { type: "hand"; raised: boolean }
  | { type: "lock"; locked: boolean }
  | { type: "leave" };

export type Tagged<T> = T & { tag: typeof EMBED_TAG };

function record(data: unknown): Record<string, unknown> | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  // Own properties only: nothing a prototype carries is read as ours.
  const value: Record<string, unknown> = Object.fromEntries(Object.entries(data));
  return value["tag"] === EMBED_TAG && typeof value["type"] === "string" ? value : null;
}

function person(data: unknown): EmbedPerson | null {
  if (typeof data !== "object" || data === null) return null;
  const { id, name } = data as Record<string, unknown>;
  return typeof id === "string" && typeof name === "string" && id.length <= 64 && name.length <= 200
    ? { id, name }
    : null;
}

export function readFrameEvent(data: unknown): FrameEvent | null {
  const m = record(data);
  if (!m) return null;
  switch (m["type"]) {
    case "ready":
      return { type: "ready" };
    case "joined": {
      const self = person(m["self"]);
      return self && { type: "joined", self };
    }
    case "peer-joined":
    case "peer-left":
    case "knock": {
      const peer = person(m["peer"]);
      return peer && { type: m["type"], peer };
    }
    case "left":
      return typeof m["reason"] === "string" && m["reason"].length <= 40 ? { type: "left", reason: m["reason"] } : null;
    default:
      return null;
  }
}

export function readFrameCommand(data: unknown): FrameCommand | null {
  const m = record(data);
  if (!m) return null;
  const flag = (key: string) => (typeof m[key] === "boolean" ? (m[key] as boolean) : null);
  switch (m["type"]) {
    case "mute": {
      const muted = flag("muted");
      return muted === null ? null : { type: "mute", muted };
    }
    case "camera":
    case "share-screen": {
      const on = flag("on");
      return on === null ? null : { type: m["type"], on };
    }
    case "hand": {
      const raised = flag("raised");
      return raised === null ? null : { type: "hand", raised };
    }
    case "lock": {
      const locked = flag("locked");
      return locked === null ? null : { type: "lock", locked };
    }
    case "leave":
      return { type: "leave" };
    default:
      return null;
  }
}

/** An origin as the embed URL's `parent` must give it: scheme, host and port only. */
export function isPlainOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}
