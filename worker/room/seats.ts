// A peer's seat lives in its socket's attachment, which survives hibernation
// and eviction; the peer id is also the socket's tag so getWebSockets(id)
// finds the addressee without scanning the room.
import type { PeerInfo } from "../protocol";

export interface Seat {
  id: string;
  name: string;
  joinedAt: number;
  /** Set once `leave` was handled, so the later close announces nothing. */
  left?: true;
  /** Revocable TURN credentials handed to this peer and not yet expired. */
  turn?: TurnCredentialRef[];
}

export interface TurnCredentialRef {
  username: string;
  /** ms since epoch. */
  expiresAt: number;
}

// Attachments are limited to 2 KiB; a peer refreshing at 80% of the TTL
// never holds more than two live credentials, so four is plenty.
const MAX_TURN_REFS = 4;

/** `refs` plus a new one, dropping those that have expired anyway. */
export function addTurnRef(
  refs: TurnCredentialRef[] | undefined,
  ref: TurnCredentialRef,
  now: number,
): TurnCredentialRef[] {
  return [...(refs ?? []).filter((r) => r.expiresAt > now), ref].slice(-MAX_TURN_REFS);
}

export function readSeat(ws: WebSocket): Seat | null {
  const value: unknown = ws.deserializeAttachment();
  if (typeof value !== "object" || value === null) return null;
  const seat = value as Partial<Seat>;
  return typeof seat.id === "string" && typeof seat.name === "string" && typeof seat.joinedAt === "number"
    ? (seat as Seat)
    : null;
}

export function writeSeat(ws: WebSocket, seat: Seat): void {
  ws.serializeAttachment(seat);
}

export function isOpen(ws: WebSocket): boolean {
  return ws.readyState === WebSocket.READY_STATE_OPEN;
}

export function peerInfo(seat: Seat): PeerInfo {
  return { id: seat.id, name: seat.name };
}

/**
 * The code to echo when reciprocating a close. Codes that must never be sent
 * on the wire (1004-1006, 1015) or are out of range become 1000.
 */
export function sendableCloseCode(code: number): number {
  const sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  return sendable ? code : 1000;
}
