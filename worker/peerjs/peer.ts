// One PeerJS id (`idFromName(key + "/" + id)`): its socket under the
// Hibernation API, the frames kept for it while it is away, and forwarding
// to other ids' objects by RPC. No object holds more than one id, so no
// object sees every client, and an idle client costs nothing: heartbeats are
// answered by the runtime, and the only alarm is a kept frame's expiry.
import { DurableObject } from "cloudflare:workers";
import {
  PEERJS_HEARTBEAT_FRAME,
  PEERJS_NOT_QUEUED,
  PeerJsError,
  type PeerJsForwardedType,
  type PeerJsServerFrame,
} from "../../protocol/peerjs";
import { readConfig, type Config } from "../config";
import { log, type LogFields, type LogLevel } from "../log";
import { FrameBudgets } from "../security/frame-budget";
import { closeQuietly, sendFrame, sendableCloseCode } from "../room/sockets";
import { isPeerJsId, parsePeerJsFrame } from "./frames";
import type { PeerJsDirectory } from "./directory";
import { directoryStub, peerStub, type PeerStub } from "./names";
import { PeerSockets, refusedSocket, type PeerSocketTag } from "./peer-sockets";
import { PeerQueue } from "./queue";

/** What became of a frame handed to an id's object. */
export type Delivery = "sent" | "queued" | "dropped" | "full";

const encode = (frame: PeerJsServerFrame) => JSON.stringify(frame);
const send = (ws: WebSocket, frame: PeerJsServerFrame) => sendFrame(ws, encode(frame));

/** Close codes: 1000 for an ordinary end, 1008 for a socket closed for abuse. */
const NORMAL = 1000;
const POLICY = 1008;

// Stubs kept per destination: calls on one stub arrive in the order they
// were made, which is what keeps an offer ahead of its candidates.
const STUBS_KEPT = 256;

export class PeerJsPeer extends DurableObject<Env> {
  private readonly config: Config;
  private readonly sockets: PeerSockets;
  private readonly queue: PeerQueue;
  /** In memory on purpose, as a room's: a hibernating object has been quiet long enough to refill them. */
  private readonly budgets: FrameBudgets;
  private readonly stubs = new Map<string, PeerStub>();
  private directory: DurableObjectStub<PeerJsDirectory> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PEERJS_HEARTBEAT_FRAME, PEERJS_HEARTBEAT_FRAME));
    this.config = readConfig(env);
    this.sockets = new PeerSockets(ctx);
    this.queue = new PeerQueue(ctx.storage.sql);
    this.budgets = new FrameBudgets(this.config.frames);
  }

  /** A socket for this id, its query already checked by the Worker (worker/peerjs/socket.ts). */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? "";
    const token = url.searchParams.get("token") ?? "";
    const now = Date.now();
    const current = this.liveSocket(now);
    if (current && current.tag.token !== token) {
      // The reference's answer, and its close: the client reports `unavailable-id`.
      this.log("info", { event: "peerjs-id-taken" });
      return refusedSocket({ type: "ID-TAKEN", payload: { msg: PeerJsError.idTaken } }, NORMAL, "id is taken");
    }
    if (current) {
      // The same client again (its token): the new socket takes the id over.
      this.sockets.release(current.ws);
      closeQuietly(current.ws, NORMAL, "replaced by a new connection");
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.sockets.accept(server, id, token, now);
    send(server, { type: "OPEN" });
    const kept = this.queue.take();
    for (const { frame } of kept) sendFrame(server, frame);
    if (kept.length > 0) await this.ctx.storage.deleteAlarm();
    if (!current) this.announce(id, true);
    this.log("info", { event: current ? "peerjs-takeover" : "peerjs-open" });
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const tag = this.sockets.active(ws);
    if (tag === null) return;
    const now = Date.now();
    this.sockets.noteFrame(ws, tag, now);
    const verdict = this.budgets.judge(tag.id, now);
    if (verdict !== "ok") {
      this.refuse(ws, tag, verdict === "abusive");
      return;
    }
    const parsed = parsePeerJsFrame(message);
    if (!parsed.ok) {
      send(ws, { type: "ERROR", payload: { msg: parsed.reason } });
      return;
    }
    const frame = parsed.frame;
    if (frame.type === "HEARTBEAT") return; // spelled unlike the auto-response (spaces, more keys)
    if (frame.dst === undefined) {
      // LEAVE with no destination: the client is done with the server.
      this.free(ws, tag, "left");
      return;
    }
    // No await before the call: frames leave in the order they came.
    const out: PeerJsServerFrame = { type: frame.type, src: tag.id, dst: frame.dst };
    if (frame.payload !== undefined) out.payload = frame.payload;
    // An id no client can ever hold needs no object to find that out.
    const delivery = isPeerJsId(frame.dst) ? await this.forward(encode(out), tag.id, frame.type, frame.dst) : "failed";
    // A destination that cannot keep more, or could not be reached: the
    // sender hears that the peer is unavailable, never an ERROR that would end it.
    if ((delivery === "full" || delivery === "failed") && !PEERJS_NOT_QUEUED.has(frame.type)) {
      send(ws, { type: "EXPIRE", src: frame.dst, dst: tag.id });
    }
  }

  /**
   * A frame for this object's id (RPC from another id's object): sent if
   * its socket is open, else kept until it connects or the queue expires.
   */
  deliver(frame: string, src: string, type: PeerJsForwardedType, dst: string): Delivery {
    const now = Date.now();
    const current = this.liveSocket(now);
    if (current && sendFrame(current.ws, frame)) return "sent";
    if (PEERJS_NOT_QUEUED.has(type)) return "dropped";
    const kept = this.queue.push({ dst, src, frame });
    if (kept === "full") return "full";
    // The reference expires a whole queue at once, timed from its first frame.
    if (kept === "first") void this.ctx.storage.setAlarm(now + this.config.peerjs.expireMs);
    return "queued";
  }

  /** The queue ran out: each sender hears once per pair that the id never came. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    if (this.liveSocket(now)) return; // delivered on connect; nothing is left
    const expired = this.queue.take();
    const told = new Set<string>();
    const notices: Promise<unknown>[] = [];
    for (const { src, dst } of expired) {
      if (told.has(src)) continue;
      told.add(src);
      const notice = encode({ type: "EXPIRE", src: dst, dst: src });
      notices.push(this.forward(notice, dst, "EXPIRE", src));
    }
    if (expired.length > 0) this.log("info", { event: "peerjs-expired", frames: expired.length, senders: told.size });
    await Promise.all(notices);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const tag = this.sockets.release(ws);
    closeQuietly(ws, sendableCloseCode(code), reason);
    if (tag) this.gone(tag);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    const tag = this.sockets.release(ws);
    closeQuietly(ws, 1011, "socket error");
    if (tag) this.gone(tag);
  }

  /** The socket speaking for this id, unless it has been silent past the alive timeout (then it is freed). */
  private liveSocket(now: number): { ws: WebSocket; tag: PeerSocketTag } | null {
    const current = this.sockets.current();
    if (current === null) return null;
    // Checked only when something needs the id: an alarm to catch the
    // silence would wake every idle client's object.
    if (now - this.sockets.lastSeen(current.ws, current.tag) < this.config.peerjs.aliveMs) return current;
    this.free(current.ws, current.tag, "silent too long");
    return null;
  }

  private async forward(
    frame: string,
    src: string,
    type: PeerJsForwardedType,
    dst: string,
  ): Promise<Delivery | "failed"> {
    // `src` is always this object's own id: a frame to itself needs no call.
    if (dst === src) return this.deliver(frame, src, type, dst);
    try {
      return await this.stub(dst).deliver(frame, src, type, dst);
    } catch (error) {
      this.log("warn", { event: "peerjs-forward-failed", error: error instanceof Error ? error.message : "unknown" });
      return "failed";
    }
  }

  private stub(dst: string): PeerStub {
    let stub = this.stubs.get(dst);
    if (!stub) {
      if (this.stubs.size >= STUBS_KEPT) this.stubs.delete(this.stubs.keys().next().value!);
      stub = peerStub(this.env, this.config.peerjs.key, dst);
      this.stubs.set(dst, stub);
    }
    return stub;
  }

  /** Over the frame budget: the frame is dropped with an ERROR; sustained abuse also closes the socket. */
  private refuse(ws: WebSocket, tag: PeerSocketTag, abusive: boolean): void {
    const msg = abusive
      ? "too many messages for too long: closing this connection"
      : "too many messages: this one was dropped";
    send(ws, { type: "ERROR", payload: { msg } });
    this.log("warn", { event: abusive ? "peerjs-abusive" : "peerjs-rate-limited" });
    if (abusive) this.free(ws, tag, "too many messages", POLICY);
  }

  /** Lets the socket go and closes it: the id is free. */
  private free(ws: WebSocket, tag: PeerSocketTag, reason: string, code = NORMAL): void {
    if (this.sockets.release(ws) === null) return;
    closeQuietly(ws, code, reason);
    this.gone(tag);
    this.log("info", { event: "peerjs-freed", reason });
  }

  private gone(tag: PeerSocketTag): void {
    this.budgets.forget(tag.id);
    this.announce(tag.id, false);
  }

  /** Tells the key's directory, only where discovery is on (nothing else ever wakes it). */
  private announce(id: string, open: boolean): void {
    if (!this.config.peerjs.discovery) return;
    // One stub for both calls, so an open and the leave right after it arrive in that order.
    this.directory ??= directoryStub(this.env, this.config.peerjs.key);
    this.ctx.waitUntil((open ? this.directory.add(id) : this.directory.remove(id)).catch(() => undefined));
  }

  // PeerJS ids are chosen by apps and may be people's names: never logged.
  private log(level: LogLevel, fields: LogFields): void {
    log(this.config, level, fields);
  }
}
