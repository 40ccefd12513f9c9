import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import {
  CloseCode,
  ErrorCode,
  PING_FRAME,
  PONG_FRAME,
  assertNever,
  cleanDisplayName,
  encode,
  newPeerId,
  type ServerMessage,
  type SignalRequest,
} from "../protocol";
import { parseClientFrame } from "../protocol/parse";
import { roomCapacity } from "./config";
import { mintIceServers, revokeIceGrant, type IceGrant } from "../turn";
import { addTurnRef, isOpen, peerInfo, readSeat, sendableCloseCode, writeSeat, type Seat } from "./seats";

export interface RoomInfo {
  peers: number;
  capacity: number;
}

interface Member {
  ws: WebSocket;
  seat: Seat;
}

/**
 * One room: relays signaling between the hibernatable sockets of its peers.
 * Holds no state in instance fields; everything that matters is in socket
 * attachments and tags, so waking from hibernation or eviction loses nothing.
 */
export class Room extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime itself: pings never wake a hibernated room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  /** Seat count for the room page's "this room is full" check (RPC). */
  info(): RoomInfo {
    return { peers: this.members().length, capacity: roomCapacity(this.env) };
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const capacity = roomCapacity(this.env);
    if (this.members().length >= capacity) {
      this.turnAway(server);
      return new Response(null, { status: 101, webSocket: client });
    }

    const id = newPeerId();
    const grant = await mintIceServers(this.env, id);
    // Other joins may have run while we waited for the TURN provider: check
    // again, and from here on do everything without yielding, so the seat,
    // the welcome and the announcement happen as one step.
    const members = this.members();
    if (members.length >= capacity) {
      this.revoke(grant.revocable === undefined ? [] : [grant.revocable]);
      this.turnAway(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    const now = Date.now();
    const seat: Seat = {
      id,
      name: cleanDisplayName(new URL(request.url).searchParams.get("name")),
      joinedAt: now,
      ...this.turnRefs(undefined, grant, now),
    };
    this.ctx.acceptWebSocket(server, [seat.id]);
    writeSeat(server, seat);
    // welcome first, so the newcomer knows its id before anyone can signal it.
    send(server, {
      type: "welcome",
      self: peerInfo(seat),
      peers: members.map((m) => peerInfo(m.seat)),
      capacity,
      iceServers: grant.iceServers,
      iceServersExpireAt: grant.expiresAt,
    } satisfies ServerMessage);
    this.broadcast({ type: "peer-joined", peer: peerInfo(seat) } satisfies ServerMessage, seat.id);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const seat = readSeat(ws);
    if (seat === null || seat.left) return;
    const parsed = parseClientFrame(frame);
    if (!parsed.ok) {
      send(ws, parsed.error);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case "signal":
        this.relay(ws, seat, message);
        return;
      case "leave":
        this.leave(ws, seat);
        return;
      case "ping":
        // A ping spelled differently from PING_FRAME (spaces, key order).
        send(ws, { type: "pong" } satisfies ServerMessage);
        return;
      case "ice-servers":
        await this.refreshIceServers(ws, seat.id);
        return;
      default:
        assertNever(message);
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.depart(ws, () => ws.close(sendableCloseCode(code), reason));
  }

  override webSocketError(ws: WebSocket): void {
    this.depart(ws, () => ws.close(CloseCode.normal, "socket error"));
  }

  /** Live members, oldest first: open sockets with a seat that has not left. */
  private members(): Member[] {
    const members: Member[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const seat = readSeat(ws);
      if (seat !== null && !seat.left && isOpen(ws)) members.push({ ws, seat });
    }
    // getWebSockets() has no defined order (it changes after an eviction).
    return members.sort((a, b) => a.seat.joinedAt - b.seat.joinedAt);
  }

  private relay(ws: WebSocket, seat: Seat, message: SignalRequest): void {
    const target = this.ctx.getWebSockets(message.to).find((t) => isOpen(t) && readSeat(t)?.left !== true);
    // `from` is always stamped here: a client can never speak for another.
    const delivered =
      target !== undefined &&
      send(target, { type: "signal", from: seat.id, data: message.data } satisfies ServerMessage);
    if (!delivered) {
      send(ws, {
        type: "error",
        code: ErrorCode.unknownPeer,
        message: "no peer with that id is in this room",
        to: message.to,
      } satisfies ServerMessage);
    }
  }

  private async refreshIceServers(ws: WebSocket, peerId: string): Promise<void> {
    const grant = await mintIceServers(this.env, peerId);
    // Re-read: the peer may have left while the provider answered.
    const seat = readSeat(ws);
    if (seat === null || seat.left || !isOpen(ws)) {
      this.revoke(grant.revocable === undefined ? [] : [grant.revocable]);
      return;
    }
    writeSeat(ws, { ...seat, ...this.turnRefs(seat, grant, Date.now()) });
    send(ws, {
      type: "ice-servers",
      iceServers: grant.iceServers,
      iceServersExpireAt: grant.expiresAt,
    } satisfies ServerMessage);
  }

  private turnRefs(seat: Seat | undefined, grant: IceGrant, now: number): Pick<Seat, "turn"> {
    if (grant.revocable === undefined || grant.expiresAt === null) return seat?.turn ? { turn: seat.turn } : {};
    return { turn: addTurnRef(seat?.turn, { username: grant.revocable, expiresAt: grant.expiresAt }, now) };
  }

  /** Revokes credentials in the background; the room never waits for it. */
  private revoke(usernames: string[]): void {
    if (usernames.length === 0) return;
    this.ctx.waitUntil(Promise.all(usernames.map((username) => revokeIceGrant(this.env, username))));
  }

  /** The seat is released for good: tell the others once, end its TURN credentials. */
  private release(ws: WebSocket, seat: Seat): void {
    writeSeat(ws, { ...seat, left: true });
    this.broadcast({ type: "peer-left", peerId: seat.id } satisfies ServerMessage, seat.id);
    const now = Date.now();
    this.revoke((seat.turn ?? []).filter((ref) => ref.expiresAt > now).map((ref) => ref.username));
  }

  private leave(ws: WebSocket, seat: Seat): void {
    this.release(ws, seat);
    ws.close(CloseCode.normal, "left");
  }

  /** The socket is gone: reciprocate the close, then tell the others once. */
  private depart(ws: WebSocket, reciprocate: () => void): void {
    const seat = readSeat(ws);
    try {
      reciprocate();
    } catch {
      // Already closed: nothing to reciprocate.
    }
    if (seat === null || seat.left) return;
    this.release(ws, seat);
  }

  private broadcast(message: ServerMessage, exceptId: string): void {
    const frame = encode(message);
    for (const { ws, seat } of this.members()) {
      if (seat.id !== exceptId) sendFrame(ws, frame);
    }
  }

  /** A socket past capacity: told why, then closed, never seated. */
  private turnAway(server: WebSocket): void {
    // A plain accept keeps it out of getWebSockets(): it never counts as a peer.
    server.accept();
    send(server, { type: "error", code: ErrorCode.roomFull, message: "this room is full" } satisfies ServerMessage);
    server.close(CloseCode.roomFull, "room-full");
  }
}

function send(ws: WebSocket, message: ServerMessage): boolean {
  return sendFrame(ws, encode(message));
}

/** Never throws: one broken socket must not stop delivery to the others. */
function sendFrame(ws: WebSocket, frame: string): boolean {
  if (!isOpen(ws)) return false;
  try {
    ws.send(frame);
    return true;
  } catch {
    return false;
  }
}
