// What a socket's attachment says (survives hibernation): whose it is, when
// it last showed life, and whether the room already let it go.

export interface SocketTag {
  id: string;
  /** ms since epoch of the last frame (pings are read from the runtime). */
  lastFrameAt: number;
  /** The room is done with this socket (left, replaced, idle): its close announces nothing. */
  done?: true;
}

export function readTag(ws: WebSocket): SocketTag | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const tag = value as Partial<SocketTag>;
  return typeof tag.id === "string" && typeof tag.lastFrameAt === "number" ? (tag as SocketTag) : null;
}

export function writeTag(ws: WebSocket, tag: SocketTag): void {
  ws.serializeAttachment(tag);
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
