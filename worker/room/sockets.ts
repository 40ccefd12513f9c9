// The room's sockets: the only code that touches getWebSockets, socket tags
// and attachments. A socket's attachment (which survives hibernation) says
// whose it is, when it last showed life, and whether the room already let
// it go; reads are cached in memory, so the relay path never deserializes.
import type { SocketLife } from "./liveness";

export interface SocketTag {
  id: string;
  /** ms since epoch of the last frame (pings are read from the runtime). */
  lastFrameAt: number;
  /** The room is done with this socket (left, replaced, idle): its close announces nothing. */
  done?: true;
  /** Waiting in the lobby, not seated: the lobby lives in attachments alone (a knocker has no seat). */
  knock?: Knock;
}

export interface Knock {
  name: string;
  /** When it knocked (ms since epoch): the lobby is let in in this order. */
  at: number;
  /** An admit is under way (credentials being minted): no other answer counts. */
  admitting?: true;
}

/** A knocker's socket with what it knocked as. */
export interface Knocker {
  ws: WebSocket;
  id: string;
  knock: Knock;
}

// A frame refreshes the socket's last-seen time in its attachment at most this often.
const NOTE_LIFE_EVERY_MS = 1_000;

function readAttachment(ws: WebSocket): SocketTag | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const tag = value as Partial<SocketTag>;
  return typeof tag.id === "string" && typeof tag.lastFrameAt === "number" ? (tag as SocketTag) : null;
}

export function isOpen(ws: WebSocket): boolean {
  return ws.readyState === WebSocket.READY_STATE_OPEN;
}

/**
 * The code to echo when reciprocating a close. Codes that must never be sent
 * on the wire (1004-1006, 1015) or are out of range become 1000.
 */
export function sendableCloseCode(code: number): number {
  const sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  return sendable ? code : 1000;
}

/** Never throws: one broken socket must not stop delivery to the others. */
export function sendFrame(ws: WebSocket, frame: string): boolean {
  if (!isOpen(ws)) return false;
  try {
    ws.send(frame);
    return true;
  } catch {
    return false;
  }
}

/** Closes without throwing (the socket may already be closing). */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}

export class SocketManager {
  /** Attachments as last written or read; rebuilt lazily after a hibernation. */
  private readonly tags = new WeakMap<WebSocket, SocketTag | null>();

  constructor(private readonly ctx: DurableObjectState) {}

  /** Takes the socket under the Hibernation API, tagged with its peer id. */
  accept(ws: WebSocket, id: string, now: number): void {
    this.ctx.acceptWebSocket(ws, [id]);
    this.write(ws, { id, lastFrameAt: now });
  }

  /** The socket's tag, or null if it is none of ours. */
  tag(ws: WebSocket): SocketTag | null {
    if (this.tags.has(ws)) return this.tags.get(ws)!;
    const tag = readAttachment(ws);
    this.tags.set(ws, tag);
    return tag;
  }

  /** Takes a knocker's socket under the Hibernation API: tagged with the id it will have if admitted. */
  acceptKnocker(ws: WebSocket, id: string, name: string, now: number): void {
    this.ctx.acceptWebSocket(ws, [id]);
    this.write(ws, { id, lastFrameAt: now, knock: { name, at: now } });
  }

  /** Changes what a knocker's socket says of its knock (admitting), or seats it (`null`). */
  setKnock(ws: WebSocket, knock: Knock | null): void {
    const tag = this.active(ws);
    if (tag === null) return;
    const { knock: _previous, ...rest } = tag;
    this.write(ws, knock === null ? rest : { ...rest, knock });
  }

  /** Every open knocker's socket, in the order they knocked. */
  knockers(): Knocker[] {
    const knockers: Knocker[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const tag = this.active(ws);
      if (tag?.knock && isOpen(ws)) knockers.push({ ws, id: tag.id, knock: tag.knock });
    }
    return knockers.sort((a, b) => a.knock.at - b.knock.at);
  }

  /** The tag of a socket still speaking for its peer or its knock (not let go), or null. */
  active(ws: WebSocket): SocketTag | null {
    const tag = this.tag(ws);
    return tag === null || tag.done ? null : tag;
  }

  /**
   * Lets the socket go: from now on it speaks for nobody and its close
   * announces nothing. Returns its tag if it was still active.
   */
  release(ws: WebSocket): SocketTag | null {
    const tag = this.active(ws);
    if (tag) this.write(ws, { ...tag, done: true });
    return tag;
  }

  /** The open socket currently speaking for the seated peer `id`, if any (never a knocker). */
  live(id: string): WebSocket | undefined {
    return this.ctx.getWebSockets(id).find((ws) => {
      const tag = this.active(ws);
      // A socket the room let go (replaced, idle) may still be open: it speaks for nobody.
      return isOpen(ws) && tag !== null && tag.knock === undefined;
    });
  }

  /** Remembers that the socket just sent a frame (in its attachment, at most once a second). */
  noteFrame(ws: WebSocket, tag: SocketTag, now: number): void {
    if (now - tag.lastFrameAt >= NOTE_LIFE_EVERY_MS) this.write(ws, { ...tag, lastFrameAt: now });
  }

  /** Sends `frame` to every seated peer's active socket except `exceptId`'s (knockers hear nothing). */
  broadcast(frame: string, exceptId: string | null): void {
    for (const ws of this.ctx.getWebSockets()) {
      const tag = this.active(ws);
      if (tag !== null && tag.knock === undefined && tag.id !== exceptId) sendFrame(ws, frame);
    }
  }

  /** Every open, active socket (seated or knocking) with its last sign of life. */
  lives(): (SocketLife & { ws: WebSocket; knocking: boolean })[] {
    const lives: (SocketLife & { ws: WebSocket; knocking: boolean })[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const tag = this.active(ws);
      if (tag === null || !isOpen(ws)) continue;
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      lives.push({ ws, id: tag.id, lastSeen: Math.max(tag.lastFrameAt, pinged), knocking: tag.knock !== undefined });
    }
    return lives;
  }

  private write(ws: WebSocket, tag: SocketTag): void {
    ws.serializeAttachment(tag);
    this.tags.set(ws, tag);
  }
}
