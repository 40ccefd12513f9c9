// One room: relays signaling between the hibernatable sockets of its peers,
// and holds each peer's seat through a short absence so a dropped socket
// does not end a call. This file is the entry points; each concern has its
// own home: who gets a seat (./admission), the sockets (./sockets), the
// seats (./seat-store) and their grace, idle sweeps and alarm (./seat-life),
// relaying (./relay), TURN (./turn-grants), the lock's lobby (./lobby).
import { DurableObject } from "cloudflare:workers";
import {
  CloseCode,
  ErrorCode,
  LOBBY_CAPACITY,
  PING_FRAME,
  PONG_FRAME,
  assertNever,
  cleanDisplayName,
  encode,
  newPeerId,
  type ServerMessage,
} from "../../protocol";
import { readConfig, type Config } from "../config";
import { log, type LogFields, type LogLevel } from "../log";
import { FrameBudgets } from "../security/frame-budget";
import { afterAwaits, onArrival } from "./admission";
import { parseClientFrame } from "./frames";
import { Lobby } from "./lobby";
import { issueResumeToken, readResumeToken, type IssuedToken } from "./resume-token";
import { relaySignal } from "./relay";
import { SeatStore, type SeatRecord } from "./seat-store";
import { SocketManager, closeQuietly, isOpen, sendFrame, sendableCloseCode, type SocketTag } from "./sockets";
import { SeatLife } from "./seat-life";
import { TurnGrants } from "./turn-grants";
import { welcomeFrame } from "./welcome";
import type { IceGrant } from "../turn";

export interface RoomInfo {
  peers: number;
  capacity: number;
  locked: boolean;
}

const send = (ws: WebSocket, message: ServerMessage) => sendFrame(ws, encode(message));

/**
 * Seats live in SQLite storage and sockets carry their peer id as tag and
 * attachment, so hibernation, eviction or a restart lose nothing. Instance
 * fields hold only caches whose loss costs nothing.
 */
export class Room extends DurableObject<Env> {
  private readonly config: Config;
  private readonly store: SeatStore;
  private readonly sockets: SocketManager;
  private readonly grants: TurnGrants;
  /**
   * Frame budgets per peer, in memory on purpose: the room only hibernates
   * after a quiet spell long enough to refill any bucket, so losing them
   * then gives every socket exactly what it would have had anyway.
   */
  private readonly budgets: FrameBudgets;
  private readonly seats: SeatLife;
  private readonly lobby: Lobby;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime itself: pings never wake a hibernated room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    this.config = readConfig(env);
    this.budgets = new FrameBudgets(this.config.frames);
    this.store = new SeatStore(ctx.storage.sql);
    this.sockets = new SocketManager(ctx);
    this.grants = new TurnGrants(this.config, (promise) => ctx.waitUntil(promise));
    this.seats = new SeatLife({
      config: this.config,
      store: this.store,
      sockets: this.sockets,
      grants: this.grants,
      storage: ctx.storage,
      log: (level, fields) => this.log(level, fields),
      forget: (id) => this.budgets.forget(id),
      knockerGone: (id) => this.lobby.gone(id),
      emptied: () => this.emptied(),
    });
    this.lobby = new Lobby({
      config: this.config,
      store: this.store,
      sockets: this.sockets,
      grants: this.grants,
      log: (level, fields) => this.log(level, fields),
      forget: (id) => this.budgets.forget(id),
      seat: (ws, id, name, grant) => this.seat(ws, id, name, grant, issueResumeToken(id), Date.now()),
    });
    this.seats.wake(Date.now());
  }

  /** Seat count for the room page's "this room is full" check (RPC). */
  info(): RoomInfo {
    return { peers: this.store.count(), capacity: this.config.room.capacity, locked: this.store.lockedBy() !== null };
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const url = new URL(request.url);
    const { 0: client, 1: server } = new WebSocketPair();
    const response = new Response(null, { status: 101, webSocket: client });
    const capacity = this.config.room.capacity;

    this.seats.expireGrace(Date.now());
    const token = readResumeToken(url.searchParams.get("resume"));
    // A claim worth honouring: a valid token for a seat that still exists.
    const claim = token !== null && this.store.claimed(token, Date.now()) !== null ? token : null;
    const name = cleanDisplayName(url.searchParams.get("name"));
    const arrival = onArrival({ claimsSeat: claim !== null, seats: this.store.count(), capacity, ...this.lobbyNow() });
    if (arrival !== "continue") {
      // Nothing to mint for a knocker: it gets credentials only if let in.
      this.notSeated(server, arrival, newPeerId(), name);
      return response;
    }
    const id = claim?.peerId ?? newPeerId();
    const issued = issueResumeToken(id);
    // The only await of a join, and only with a TURN provider to ask.
    const minted = this.grants.mint(id);
    const grant = minted instanceof Promise ? await minted : minted;

    const now = Date.now();
    this.seats.expireGrace(now);
    const seat = claim ? this.store.claimed(claim, now) : null;
    const seats = this.store.count();
    const decision = afterAwaits({
      claimed: claim !== null,
      seatStillValid: seat !== null,
      seats,
      capacity,
      ...this.lobbyNow(),
    });
    if (decision !== "join" && decision !== "resume") this.grants.discard(grant);
    switch (decision) {
      case "retry":
        server.accept();
        server.close(1013, "try again");
        return response;
      case "turn-away":
      case "lobby-full":
      case "knock":
        // Locked or filled while the credentials were minted: those go unused.
        this.notSeated(server, decision, id, name);
        return response;
      case "resume":
        this.takeOver(server, seat!, grant, issued, now);
        break;
      case "join":
        this.sockets.accept(server, id, now);
        this.seat(server, id, name, grant, issued, now);
        break;
    }
    this.seats.settle(now, true);
    return response;
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const tag = this.sockets.active(ws);
    if (tag === null) return;
    const now = Date.now();
    this.sockets.noteFrame(ws, tag, now);
    // Settled first as well: a peer that has gone idle is dropped before this
    // frame is relayed, so a signal for it is kept for its resume instead of
    // going into a socket about to close.
    this.seats.settle(now, false);
    const parsed = this.withinBudget(ws, tag, now) ? parseClientFrame(frame) : null;
    if (parsed && !parsed.ok) send(ws, parsed.error);
    const message = parsed?.ok ? parsed.message : null;
    if (tag.knock && message) {
      this.lobby.onKnockerFrame(ws, tag, message);
      this.seats.settle(Date.now(), false);
      return;
    }
    switch (message?.type) {
      case undefined:
        break;
      case "signal": {
        const error = relaySignal(this.sockets, this.store, tag.id, message);
        if (error) send(ws, error);
        break;
      }
      case "leave":
        this.sockets.release(ws);
        this.log("info", { event: "leave", peer: tag.id });
        this.seats.release(tag.id);
        ws.close(CloseCode.normal, "left");
        break;
      case "ping":
        // A ping spelled differently from PING_FRAME (spaces, key order).
        send(ws, { type: "pong" } satisfies ServerMessage);
        break;
      case "ice-servers":
        await this.refreshIceServers(ws, tag.id);
        break;
      case "lock":
        await this.setLock(tag.id, message.locked);
        break;
      case "admit":
        await this.lobby.admit(ws, tag.id, message.peerId);
        break;
      case "deny":
        this.lobby.deny(ws, tag.id, message.peerId);
        break;
      default:
        assertNever(message);
    }
    this.seats.settle(Date.now(), false);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    closeQuietly(ws, sendableCloseCode(code), reason);
    this.dropped(ws, code);
  }

  override webSocketError(ws: WebSocket): void {
    closeQuietly(ws, CloseCode.normal, "socket error");
    this.dropped(ws, 1006);
  }

  override alarm(): void {
    this.seats.alarmFired(Date.now());
  }

  // ---- joining and resuming ------------------------------------------------

  /** A new seat for an accepted socket (a newcomer of an open room, or a knocker let in). */
  private seat(ws: WebSocket, id: string, name: string, grant: IceGrant, token: IssuedToken, now: number): void {
    const others = this.store.all();
    const turn = this.grants.remember([], grant, now);
    this.store.insert({ id, name, joinedAt: now, tokenHash: token.hash, awayUntil: null, turn });
    // welcome first, so the newcomer knows its id before anyone can signal it.
    send(ws, welcomeFrame({ id, name }, others, this.config.room.capacity, grant, token, false, this.store.lockedBy()));
    this.lobby.greet(ws);
    this.sockets.broadcast(encode({ type: "peer-joined", peer: { id, name } } satisfies ServerMessage), id);
    this.log("info", { event: "join", peer: id, peers: others.length + 1 });
  }

  /** The same peer on a new socket: nobody else hears of it. */
  private takeOver(server: WebSocket, seat: SeatRecord, grant: IceGrant, token: IssuedToken, now: number): void {
    const previous = this.sockets.live(seat.id);
    if (previous) {
      this.sockets.release(previous);
      closeQuietly(previous, CloseCode.replaced, "replaced");
    }
    this.store.markPresent(seat.id, token.hash);
    this.store.setTurn(seat.id, this.grants.remember(seat.turn, grant, now));
    this.sockets.accept(server, seat.id, now);
    const lockedBy = this.store.lockedBy();
    send(server, welcomeFrame(seat, this.store.all(), this.config.room.capacity, grant, token, true, lockedBy));
    this.lobby.greet(server);
    // What was sent to it while it was away, in the original order.
    const kept = this.store.takeKept(seat.id);
    for (const frame of kept) sendFrame(server, frame);
    // The old socket was still live to us, so what went into it lately may
    // be lost (its path was gone): the others are told, and re-send.
    if (previous) {
      this.sockets.broadcast(encode({ type: "peer-resumed", peerId: seat.id } satisfies ServerMessage), seat.id);
    }
    this.log("info", { event: "resume", peer: seat.id, kept: kept.length, replaced: previous !== undefined });
  }

  /** A newcomer who gets no seat now: turned away (room or lobby full), or left knocking. */
  private notSeated(server: WebSocket, outcome: "turn-away" | "lobby-full" | "knock", id: string, name: string): void {
    if (outcome === "turn-away") this.turnAway(server);
    else if (outcome === "lobby-full") this.lobby.turnAwayFull(server);
    else {
      const now = Date.now();
      this.lobby.knock(server, id, name, now);
      this.seats.settle(now, true);
    }
  }

  /** A socket past capacity: told why, then closed, never seated. */
  private turnAway(server: WebSocket): void {
    // A plain accept keeps it out of getWebSockets(): it never counts as a peer.
    server.accept();
    send(server, { type: "error", code: ErrorCode.roomFull, message: "this room is full" } satisfies ServerMessage);
    server.close(CloseCode.roomFull, "room-full");
    this.log("info", { event: "room-full", code: ErrorCode.roomFull });
  }

  /**
   * Spends one frame of the socket's budget. Over budget the frame is
   * dropped with `rate-limited`; sustained flooding closes the socket
   * (4008) and frees its seat for good.
   */
  private withinBudget(ws: WebSocket, tag: SocketTag, now: number): boolean {
    const id = tag.id;
    const verdict = this.budgets.judge(id, now);
    if (verdict === "ok") return true;
    if (verdict === "limited") {
      const message = `over ${this.config.frames.ratePerSecond} frames per second: frame dropped`;
      send(ws, { type: "error", code: ErrorCode.rateLimited, message } satisfies ServerMessage);
      return false;
    }
    this.log("warn", { event: "abuse-closed", peer: id, code: ErrorCode.rateLimited });
    this.sockets.release(ws);
    if (tag.knock) this.lobby.gone(id);
    else this.seats.release(id);
    closeQuietly(ws, CloseCode.rateLimited, "rate-limited");
    return false;
  }

  // ---- the lock ---------------------------------------------------------------

  /** What admission needs to know of the lobby now. */
  private lobbyNow(): { locked: boolean; knockers: number; lobbyCapacity: number } {
    const locked = this.store.lockedBy() !== null;
    // Only a locked room has knockers worth counting (no getWebSockets() scan on an open room's joins).
    return { locked, knockers: locked ? this.sockets.knockers().length : 0, lobbyCapacity: LOBBY_CAPACITY };
  }

  /** Locks or unlocks by a seated peer's word; unlocking lets the waiting in. */
  private async setLock(by: string, locked: boolean): Promise<void> {
    if (locked) this.store.lock(by);
    else this.store.unlock();
    this.sockets.broadcast(encode({ type: "room", locked, by } satisfies ServerMessage), null);
    this.log("info", { event: locked ? "lock" : "unlock", peer: by });
    if (!locked) await this.lobby.drain();
  }

  /**
   * The last seat was released: nobody is left to answer a knock, so the
   * room unlocks and the waiting are let in, the first alone.
   */
  private emptied(): void {
    if (this.store.lockedBy() !== null) {
      this.store.unlock();
      this.log("info", { event: "unlock", reason: "empty" });
    }
    if (this.sockets.knockers().length > 0) this.ctx.waitUntil(this.lobby.drain());
  }

  private log(level: LogLevel, fields: LogFields): void {
    log(this.config, level, { room: this.ctx.id.name, ...fields });
  }

  // ---- fresh credentials, dropping ---------------------------------------------

  private async refreshIceServers(ws: WebSocket, peerId: string): Promise<void> {
    const grant = await this.grants.mint(peerId);
    // Re-read: the peer may have gone while the provider answered.
    const seat = this.store.get(peerId);
    if (this.sockets.active(ws) === null || !isOpen(ws) || seat === null) {
      this.grants.discard(grant);
      return;
    }
    this.store.setTurn(peerId, this.grants.remember(seat.turn, grant, Date.now()));
    const { iceServers, expiresAt } = grant;
    send(ws, { type: "ice-servers", iceServers, iceServersExpireAt: expiresAt } satisfies ServerMessage);
  }

  /** The socket is gone without a leave: the seat waits for a resume. */
  private dropped(ws: WebSocket, code: number): void {
    const tag = this.sockets.release(ws);
    if (tag === null) return;
    if (tag.knock) {
      this.lobby.gone(tag.id);
      return;
    }
    this.log("info", { event: "drop", peer: tag.id, code });
    const now = Date.now();
    this.seats.goAway(tag.id, now);
    this.seats.settle(now, true);
  }
}
