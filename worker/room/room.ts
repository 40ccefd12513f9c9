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
  type PeerInfo,
  type ServerMessage,
  type SignalRequest,
} from "../../protocol";
import { parseClientFrame } from "./frames";
import { log, type LogFields, type LogLevel } from "../log";
import { judgeFrame, newFrameBudget, type FrameBudget } from "../security/frame-budget";
import { frameLimits } from "../security/limits";
import type { BucketLimits } from "../security/token-bucket";
import { mintIceServers, revokeIceGrant, type IceGrant } from "../turn";
import { KEPT_MAX_BYTES, KEPT_MAX_FRAMES, roomConfig, type RoomConfig } from "./config";
import { earliest, planLiveness, type SocketLife } from "./liveness";
import { issueResumeToken, readResumeToken, sameHash, type IssuedToken, type ResumeClaim } from "./resume-token";
import { SeatStore, type SeatRecord } from "./seat-store";
import { closeQuietly, isOpen, readTag, sendFrame, sendableCloseCode, writeTag, type SocketTag } from "./sockets";
import { addTurnRef, liveUsernames, type TurnCredentialRef } from "./turn-refs";

export interface RoomInfo {
  peers: number;
  capacity: number;
}

// Idle checks piggyback on events the room handles anyway, at most this often.
const SWEEP_EVERY_MS = 1_000;
// A frame refreshes the socket's last-seen time in its attachment at most this often.
const NOTE_LIFE_EVERY_MS = 1_000;

const utf8 = new TextEncoder();

function peerInfo(seat: Pick<SeatRecord, "id" | "name">): PeerInfo {
  return { id: seat.id, name: seat.name };
}

/**
 * One room: relays signaling between the hibernatable sockets of its peers,
 * and holds each peer's seat through a short absence so a dropped socket
 * does not end a call.
 *
 * Seats live in SQLite storage and sockets carry their peer id as tag and
 * attachment, so hibernation, eviction or a restart lose nothing. Instance
 * fields hold only caches whose loss costs nothing.
 */
export class Room extends DurableObject<Env> {
  private readonly store: SeatStore;
  private readonly config: RoomConfig;
  private readonly limits: BucketLimits;
  private lastSweepAt = 0;
  /**
   * Frame budgets per peer, in memory on purpose: the room only hibernates
   * after a quiet spell long enough to refill any bucket, so losing them
   * then gives every socket exactly what it would have had anyway.
   */
  private readonly budgets = new Map<string, FrameBudget>();
  private roomName: string | null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime itself: pings never wake a hibernated room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    this.store = new SeatStore(ctx.storage.sql);
    this.config = roomConfig(env);
    this.limits = frameLimits(env);
    this.roomName = this.store.roomName();
    void ctx.blockConcurrencyWhile(async () => this.reconcile(Date.now()));
  }

  /** Seat count for the room page's "this room is full" check (RPC). */
  info(): RoomInfo {
    return { peers: this.store.count(), capacity: this.config.capacity };
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const url = new URL(request.url);
    this.learnRoomName(url);
    const { 0: client, 1: server } = new WebSocketPair();
    const respond = () => new Response(null, { status: 101, webSocket: client });

    this.expireGrace(Date.now());
    const token = await readResumeToken(url.searchParams.get("resume"));
    // A claim worth honouring: a valid token for a seat that still exists.
    const claim = token !== null && this.verify(token, Date.now()) !== null ? token : null;
    if (claim === null && this.store.count() >= this.config.capacity) {
      this.turnAway(server);
      return respond();
    }

    const id = claim?.peerId ?? newPeerId();
    const [grant, issued] = await Promise.all([mintIceServers(this.env, id), issueResumeToken(id)]);

    // Other joins may have run while we waited: check again, and from here
    // on do everything without yielding, so taking the seat, the welcome and
    // the announcement happen as one step.
    const now = Date.now();
    this.expireGrace(now);
    const seat = claim ? this.verify(claim, now) : null;
    if (claim && seat === null) {
      // The seat ended while we waited; the client retries and gets a fresh one.
      this.revokeGrant(grant);
      server.accept();
      server.close(1013, "try again");
      return respond();
    }
    if (seat === null && this.store.count() >= this.config.capacity) {
      this.revokeGrant(grant);
      this.turnAway(server);
      return respond();
    }
    if (seat) this.takeOver(server, seat, grant, issued, now);
    else this.join(server, id, cleanDisplayName(url.searchParams.get("name")), grant, issued, now);
    this.ensureAlarm(now);
    return respond();
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const tag = readTag(ws);
    if (tag === null || tag.done) return;
    const now = Date.now();
    this.noteLife(ws, tag, now);
    this.maybeSweep(now);
    if (!this.withinBudget(ws, tag, now)) return;
    const parsed = parseClientFrame(frame);
    if (!parsed.ok) {
      send(ws, parsed.error);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case "signal":
        this.relay(ws, tag.id, message);
        return;
      case "leave":
        this.leave(ws, tag);
        return;
      case "ping":
        // A ping spelled differently from PING_FRAME (spaces, key order).
        send(ws, { type: "pong" } satisfies ServerMessage);
        return;
      case "ice-servers":
        await this.refreshIceServers(ws, tag.id);
        return;
      default:
        assertNever(message);
    }
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
    const now = Date.now();
    this.expireGrace(now);
    this.sweep(now);
    this.ensureAlarm(now);
  }

  // ---- joining and resuming ------------------------------------------------

  private join(server: WebSocket, id: string, name: string, grant: IceGrant, token: IssuedToken, now: number): void {
    const others = this.store.all();
    this.store.insert({
      id,
      name,
      joinedAt: now,
      tokenHash: token.hash,
      awayUntil: null,
      turn: withGrant([], grant, now),
    });
    this.accept(server, id, now);
    // welcome first, so the newcomer knows its id before anyone can signal it.
    send(server, this.welcome({ id, name }, others, grant, token, false));
    this.broadcast({ type: "peer-joined", peer: { id, name } } satisfies ServerMessage, id);
    this.log("info", { event: "join", peer: id, peers: others.length + 1 });
  }

  /** The same peer on a new socket: nobody else hears of it. */
  private takeOver(server: WebSocket, seat: SeatRecord, grant: IceGrant, token: IssuedToken, now: number): void {
    const previous = this.liveSocket(seat.id);
    if (previous) {
      const tag = readTag(previous);
      if (tag) writeTag(previous, { ...tag, done: true });
      closeQuietly(previous, CloseCode.replaced, "replaced");
    }
    this.store.markPresent(seat.id, token.hash);
    this.store.setTurn(seat.id, withGrant(seat.turn, grant, now));
    this.accept(server, seat.id, now);
    send(server, this.welcome(seat, this.store.all(), grant, token, true));
    // What was sent to it while it was away, in the original order.
    const kept = this.store.takeKept(seat.id);
    for (const frame of kept) sendFrame(server, frame);
    this.log("info", { event: "resume", peer: seat.id, kept: kept.length, replaced: previous !== undefined });
  }

  private welcome(
    self: PeerInfo,
    others: SeatRecord[],
    grant: IceGrant,
    token: IssuedToken,
    resumed: boolean,
  ): ServerMessage {
    return {
      type: "welcome",
      self: peerInfo(self),
      peers: others.filter((s) => s.id !== self.id).map(peerInfo),
      capacity: this.config.capacity,
      iceServers: grant.iceServers,
      iceServersExpireAt: grant.expiresAt,
      resumeToken: token.token,
      resumed,
    } satisfies ServerMessage;
  }

  /** The seat a resume token stands for, if it is valid now. */
  private verify(claim: ResumeClaim, now: number): SeatRecord | null {
    const seat = this.store.get(claim.peerId);
    if (seat === null || !sameHash(seat.tokenHash, claim.hash)) return null;
    return seat.awayUntil === null || seat.awayUntil > now ? seat : null;
  }

  private accept(server: WebSocket, id: string, now: number): void {
    this.ctx.acceptWebSocket(server, [id]);
    writeTag(server, { id, lastFrameAt: now });
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
    let budget = this.budgets.get(tag.id);
    if (!budget) {
      budget = newFrameBudget(this.limits, now);
      this.budgets.set(tag.id, budget);
    }
    const verdict = judgeFrame(budget, this.limits, now);
    if (verdict === "ok") return true;
    if (verdict === "limited") {
      send(ws, {
        type: "error",
        code: ErrorCode.rateLimited,
        message: `over ${this.limits.ratePerSecond} frames per second: frame dropped`,
      } satisfies ServerMessage);
      return false;
    }
    this.log("warn", { event: "abuse-closed", peer: tag.id, code: ErrorCode.rateLimited });
    writeTag(ws, { ...tag, done: true });
    this.budgets.delete(tag.id);
    this.release(tag.id);
    closeQuietly(ws, CloseCode.rateLimited, "rate-limited");
    this.ensureAlarm(now);
    return false;
  }

  private learnRoomName(url: URL): void {
    if (this.roomName !== null) return;
    const match = /^\/api\/rooms\/([^/]+)\/ws$/.exec(url.pathname);
    if (!match) return;
    this.roomName = decodeURIComponent(match[1]!).toLowerCase();
    this.store.rememberRoomName(this.roomName);
  }

  private log(level: LogLevel, fields: LogFields): void {
    log(this.env, level, { room: this.roomName ?? undefined, ...fields });
  }

  // ---- relaying ------------------------------------------------------------

  private relay(ws: WebSocket, from: string, message: SignalRequest): void {
    // `from` is always stamped here: a client can never speak for another.
    const frame = encode({ type: "signal", from, data: message.data } satisfies ServerMessage);
    const target = this.liveSocket(message.to);
    if (target && sendFrame(target, frame)) return;
    if (this.store.get(message.to) !== null) {
      // Away in its grace period: kept, in order, until it resumes.
      const kept = this.store.keep(message.to, frame, utf8.encode(frame).byteLength, {
        frames: KEPT_MAX_FRAMES,
        bytes: KEPT_MAX_BYTES,
      });
      if (kept === "kept") return;
      send(ws, {
        type: "error",
        code: ErrorCode.peerAwayOverflow,
        message: `that peer is away and already has ${KEPT_MAX_FRAMES} frames or ${KEPT_MAX_BYTES / 1024} KiB waiting`,
        to: message.to,
      } satisfies ServerMessage);
      return;
    }
    send(ws, {
      type: "error",
      code: ErrorCode.unknownPeer,
      message: "no peer with that id is in this room",
      to: message.to,
    } satisfies ServerMessage);
  }

  private async refreshIceServers(ws: WebSocket, peerId: string): Promise<void> {
    const grant = await mintIceServers(this.env, peerId);
    // Re-read: the peer may have gone while the provider answered.
    const tag = readTag(ws);
    const seat = this.store.get(peerId);
    if (tag === null || tag.done || !isOpen(ws) || seat === null) {
      this.revokeGrant(grant);
      return;
    }
    this.store.setTurn(peerId, withGrant(seat.turn, grant, Date.now()));
    send(ws, {
      type: "ice-servers",
      iceServers: grant.iceServers,
      iceServersExpireAt: grant.expiresAt,
    } satisfies ServerMessage);
  }

  private broadcast(message: ServerMessage, exceptId: string): void {
    const frame = encode(message);
    for (const ws of this.ctx.getWebSockets()) {
      const tag = readTag(ws);
      if (tag !== null && !tag.done && tag.id !== exceptId) sendFrame(ws, frame);
    }
  }

  /** The open socket currently speaking for `id`, if any. */
  private liveSocket(id: string): WebSocket | undefined {
    return this.ctx.getWebSockets(id).find((ws) => isOpen(ws) && readTag(ws)?.done !== true);
  }

  // ---- leaving, dropping, grace --------------------------------------------

  private leave(ws: WebSocket, tag: SocketTag): void {
    writeTag(ws, { ...tag, done: true });
    this.log("info", { event: "leave", peer: tag.id });
    this.release(tag.id);
    ws.close(CloseCode.normal, "left");
    this.ensureAlarm(Date.now());
  }

  /** The socket is gone without a leave: the seat waits for a resume. */
  private dropped(ws: WebSocket, code: number): void {
    const tag = readTag(ws);
    if (tag === null || tag.done) return;
    writeTag(ws, { ...tag, done: true });
    this.budgets.delete(tag.id);
    this.log("info", { event: "drop", peer: tag.id, code });
    const now = Date.now();
    this.goAway(tag.id, now);
    this.ensureAlarm(now);
  }

  private goAway(id: string, now: number): void {
    if (this.liveSocket(id)) return;
    if (this.config.graceMs === 0) this.release(id);
    else this.store.markAway(id, now + this.config.graceMs);
  }

  /** The seat is released for good: tell the others once, end its TURN credentials. */
  private release(id: string): void {
    const seat = this.store.remove(id);
    if (seat === null) return;
    this.broadcast({ type: "peer-left", peerId: id } satisfies ServerMessage, id);
    this.revoke(liveUsernames(seat.turn, Date.now()));
  }

  private expireGrace(now: number): void {
    for (const id of this.store.expired(now)) {
      this.log("info", { event: "grace-over", peer: id });
      this.release(id);
    }
  }

  /**
   * Seats whose holders had no socket when the room woke: their sockets went
   * away unseen (eviction, a restart, a deploy). Their grace starts now.
   */
  private reconcile(now: number): void {
    let changed = false;
    for (const id of this.store.presentIds()) {
      if (this.liveSocket(id)) continue;
      this.store.markAway(id, now + this.config.graceMs);
      changed = true;
    }
    if (changed) this.ensureAlarm(now);
  }

  // ---- liveness --------------------------------------------------------------

  private noteLife(ws: WebSocket, tag: SocketTag, now: number): void {
    if (now - tag.lastFrameAt >= NOTE_LIFE_EVERY_MS) writeTag(ws, { ...tag, lastFrameAt: now });
  }

  private lives(): { ws: WebSocket; life: SocketLife }[] {
    const lives: { ws: WebSocket; life: SocketLife }[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const tag = readTag(ws);
      if (tag === null || tag.done || !isOpen(ws)) continue;
      const pinged = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      lives.push({ ws, life: { id: tag.id, lastSeen: Math.max(tag.lastFrameAt, pinged) } });
    }
    return lives;
  }

  /** Closes sockets silent for longer than the idle timeout; their seats enter grace. */
  private sweep(now: number): { idle: number; recheckAt: number | null } {
    this.lastSweepAt = now;
    const lives = this.lives();
    const plan = planLiveness(
      lives.map((l) => l.life),
      now,
      this.config.idleMs,
    );
    for (const { ws, life } of lives) {
      if (!plan.idle.includes(life.id)) continue;
      const tag = readTag(ws);
      if (tag) writeTag(ws, { ...tag, done: true });
      closeQuietly(ws, CloseCode.idle, "idle");
      this.log("info", { event: "idle-closed", peer: life.id, code: CloseCode.idle });
      this.goAway(life.id, now);
    }
    return { idle: plan.idle.length, recheckAt: plan.recheckAt };
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweepAt < SWEEP_EVERY_MS) return;
    const result = this.sweep(now);
    if (result.idle > 0 || result.recheckAt !== null) this.ensureAlarm(now);
  }

  /**
   * One alarm, only while some seat's fate is pending: a grace period
   * running, or a socket that has gone quiet. Healthy rooms have none.
   */
  private ensureAlarm(now: number): void {
    const quiet = planLiveness(
      this.lives().map((l) => l.life),
      now,
      this.config.idleMs,
    ).recheckAt;
    const next = earliest(this.store.nextGraceEnd(), quiet);
    if (next === null) void this.ctx.storage.deleteAlarm();
    else void this.ctx.storage.setAlarm(Math.max(next, now + 1));
  }

  /** A credential minted for nobody in the end (the join failed, the peer left meanwhile). */
  private revokeGrant(grant: IceGrant): void {
    if (grant.revocable !== undefined) this.revoke([grant.revocable]);
  }

  /** Revokes credentials in the background; the room never waits for it. */
  private revoke(usernames: string[]): void {
    if (usernames.length === 0) return;
    this.ctx.waitUntil(Promise.all(usernames.map((username) => revokeIceGrant(this.env, username))));
  }
}

function withGrant(refs: TurnCredentialRef[], grant: IceGrant, now: number): TurnCredentialRef[] {
  if (grant.revocable === undefined || grant.expiresAt === null) return refs;
  return addTurnRef(refs, { username: grant.revocable, expiresAt: grant.expiresAt }, now);
}

function send(ws: WebSocket, message: ServerMessage): boolean {
  return sendFrame(ws, encode(message));
}
