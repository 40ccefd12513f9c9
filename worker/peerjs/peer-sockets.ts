// The sockets of one PeerJS id's object: the only code here that touches
// getWebSockets and attachments. An attachment (which survives hibernation)
// holds the id, the client's token, the last frame's time and whether the
// object already let the socket go; reads are cached in memory.
import type { PeerJsServerFrame } from "../../protocol/peerjs";
import { isOpen } from "../room/sockets";

export interface PeerSocketTag {
  id: string;
  token: string;
  /** ms since epoch of the last frame (heartbeats are read from the runtime's auto-response). */
  lastFrameAt: number;
  /** Replaced, left or silent too long: it speaks for nobody and its close frees nothing. */
  done?: true;
}

// A frame refreshes the last-seen time in the attachment at most this often.
const NOTE_LIFE_EVERY_MS = 1_000;

function readAttachment(ws: WebSocket): PeerSocketTag | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const tag = value as Partial<PeerSocketTag>;
  return typeof tag.id === "string" && typeof tag.token === "string" && typeof tag.lastFrameAt === "number"
    ? (tag as PeerSocketTag)
    : null;
}

/**
 * A socket accepted only to say one frame and close (a refusal): a PeerJS
 * client reads nothing but frames, so an HTTP error would reach its app as
 * a bare `socket-error`. Not hibernatable: it lives for one send.
 */
export function refusedSocket(frame: PeerJsServerFrame, code: number, reason: string): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.send(JSON.stringify(frame));
  server.close(code, reason);
  return new Response(null, { status: 101, webSocket: client });
}

export class PeerSockets {
  private readonly tags = new WeakMap<WebSocket, PeerSocketTag | null>();

  constructor(private readonly ctx: DurableObjectState) {}

  accept(ws: WebSocket, id: string, token: string, now: number): void {
    this.ctx.acceptWebSocket(ws);
    this.write(ws, { id, token, lastFrameAt: now });
  }

  /** The socket's tag while it still speaks for its id, else null. */
  active(ws: WebSocket): PeerSocketTag | null {
    let tag = this.tags.get(ws);
    if (tag === undefined) this.tags.set(ws, (tag = readAttachment(ws)));
    return tag === null || tag.done ? null : tag;
  }

  /** The open socket speaking for this object's id, with its tag, if there is one. */
  current(): { ws: WebSocket; tag: PeerSocketTag } | null {
    for (const ws of this.ctx.getWebSockets()) {
      const tag = this.active(ws);
      if (tag !== null && isOpen(ws)) return { ws, tag };
    }
    return null;
  }

  /** The later of the socket's last frame and its last auto-answered heartbeat. */
  lastSeen(ws: WebSocket, tag: PeerSocketTag): number {
    return Math.max(tag.lastFrameAt, this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0);
  }

  noteFrame(ws: WebSocket, tag: PeerSocketTag, now: number): void {
    if (now - tag.lastFrameAt >= NOTE_LIFE_EVERY_MS) this.write(ws, { ...tag, lastFrameAt: now });
  }

  /** Lets the socket go; returns its tag if it still spoke for the id. */
  release(ws: WebSocket): PeerSocketTag | null {
    const tag = this.active(ws);
    if (tag) this.write(ws, { ...tag, done: true });
    return tag;
  }

  private write(ws: WebSocket, tag: PeerSocketTag): void {
    ws.serializeAttachment(tag);
    this.tags.set(ws, tag);
  }
}
