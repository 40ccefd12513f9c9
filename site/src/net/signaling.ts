// The page's end of the signaling socket. It reconnects by itself (backoff
// with jitter, a connect timeout, the retry count reset once a connection
// has stayed up) and always presents the latest resume token, so a dropped
// socket costs the call nothing. Frames are never queued while it is down:
// send() says whether a frame went out, and the caller re-syncs instead of
// replaying stale ones.
import { CloseCode, PING_FRAME, encode, type ClientMessage, type ServerMessage } from "../../../protocol";
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from "./backoff";

// Well inside the room's 60 s idle timeout, even for a throttled tab.
const PING_INTERVAL_MS = 25_000;
/**
 * How long a probe waits for the room to answer before the socket counts as
 * dead. A ping is answered by the runtime itself, so this is a round trip and
 * nothing more: generous for a slow link, short next to the minutes TCP takes
 * to give up on a path that is gone.
 */
export const PROBE_TIMEOUT_MS = 1_500;
const CONNECT_TIMEOUT_MS = 8_000;
/** A connection that stays up this long resets the backoff. */
const STABLE_AFTER_MS = 10_000;

export type SignalingStatus = "connecting" | "connected" | "reconnecting";

/** What the client is trying while the room is unreachable. */
export interface RetryInfo {
  /** 1 for the first reconnect attempt. */
  attempt: number;
  /** When the next attempt starts (ms since epoch). */
  nextAt: number;
}
export type SignalingEnd = "left" | "room-full" | "replaced" | "denied" | "lobby-full";

/** Closes by which the room said no for a reason a retry would not change. */
const FINAL_CLOSES: Partial<Record<number, SignalingEnd>> = {
  [CloseCode.roomFull]: "room-full",
  [CloseCode.replaced]: "replaced",
  [CloseCode.denied]: "denied",
  [CloseCode.lobbyFull]: "lobby-full",
};

export interface SignalingHandlers {
  onMessage(message: ServerMessage): void;
  onStatus(status: SignalingStatus, retry: RetryInfo | null): void;
  /** For good: no more reconnects. */
  onEnd(reason: SignalingEnd): void;
}

/**
 * The room's HTTP address on a Tincan server (`/ws` after it: its socket).
 * `server` is the site's address (`https://tincan.example`, or the page's
 * own); a path on it is kept, so a server behind a prefix works too.
 */
export function roomUrl(server: string, room: string): URL {
  const base = new URL(server);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return new URL(`api/rooms/${encodeURIComponent(room)}`, base);
}

export function roomSocketUrl(server: string, room: string, name: string, resumeToken: string | null): string {
  const url = roomUrl(server, room);
  url.pathname += "/ws";
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("name", name);
  if (resumeToken) url.searchParams.set("resume", resumeToken);
  return url.toString();
}

/** A server frame, or null for anything that is not one (ignored). */
function readServerFrame(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string") {
      return value as ServerMessage;
    }
  } catch {
    // Not JSON: not from our server.
  }
  return null;
}

/** The WebSocket constructor: the global one, or one a test or another runtime supplies. */
export type WebSocketConstructor = new (url: string) => WebSocket;

// readyState values, spelled out: an injected WebSocket class may not carry the statics.
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

export interface SignalingTarget {
  /** The Tincan server's address (see roomSocketUrl). */
  server: string;
  room: string;
  name: string;
  WebSocket?: WebSocketConstructor | undefined;
}

export class SignalingClient {
  #ws: WebSocket | null = null;
  #resumeToken: string | null = null;
  #attempt = 0;
  #ended = false;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #pinger: ReturnType<typeof setInterval> | undefined;
  /** When the current socket last brought a frame (pongs included). */
  #heardAt = 0;
  #probe: ReturnType<typeof setTimeout> | undefined;

  readonly #Socket: WebSocketConstructor;

  constructor(
    private readonly target: SignalingTarget,
    private readonly handlers: SignalingHandlers,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.#Socket = target.WebSocket ?? WebSocket;
    this.#connect();
  }

  /** Sends now or not at all; false when the socket is not open. */
  send(message: ClientMessage): boolean {
    if (this.#ws?.readyState !== OPEN) return false;
    this.#ws.send(encode(message));
    return true;
  }

  /**
   * The network under the socket changed: a socket bound to an address that
   * is gone never closes by itself, so drop it and connect again at once
   * (resuming the seat), without waiting for a backoff.
   */
  reconnectNow(): void {
    if (this.#ended) return;
    const old = this.#ws;
    // Its close event, whenever it comes, is no longer ours to act on.
    this.#ws = null;
    clearInterval(this.#pinger);
    clearTimeout(this.#probe);
    this.#probe = undefined;
    if (old && old.readyState !== CLOSED) old.close(1000, "network changed");
    this.#attempt = 0;
    this.#connect();
  }

  /**
   * Checks that the room still hears us, after a sign that the path may be
   * gone (a peer's media stopped): a ping, answered by the runtime; with no
   * frame back within PROBE_TIMEOUT_MS, the socket is replaced. A socket
   * that is down and waiting out a backoff is tried again at once.
   */
  probe(): void {
    if (this.#ended || this.#probe !== undefined) return;
    const ws = this.#ws;
    if (ws === null || ws.readyState === CLOSED || ws.readyState === CLOSING) {
      this.reconnectNow();
      return;
    }
    if (ws.readyState !== OPEN) return; // connecting: its own timeout covers it
    const sentAt = Date.now();
    ws.send(PING_FRAME);
    this.#probe = setTimeout(() => {
      this.#probe = undefined;
      if (ws === this.#ws && this.#heardAt < sentAt) this.reconnectNow();
    }, PROBE_TIMEOUT_MS);
  }

  /** Tell the room we are going (others learn at once), then stop for good. */
  leave(): void {
    this.send({ type: "leave" } satisfies ClientMessage);
    this.#end("left");
    const ws = this.#ws;
    // The room closes the socket after `leave`; close too in case it never answers.
    if (ws) setTimeout(() => ws.close(1000, "left"), 1000);
  }

  #connect(): void {
    this.#clearTimers();
    this.handlers.onStatus(this.#attempt === 0 && this.#resumeToken === null ? "connecting" : "reconnecting", null);
    const { server, room, name } = this.target;
    const ws = new this.#Socket(roomSocketUrl(server, room, name, this.#resumeToken));
    this.#ws = ws;
    this.#timers.push(
      setTimeout(() => {
        if (ws.readyState === CONNECTING) ws.close();
      }, CONNECT_TIMEOUT_MS),
    );
    ws.addEventListener("open", () => {
      this.#timers.push(setTimeout(() => (this.#attempt = 0), STABLE_AFTER_MS));
      this.#pinger = setInterval(() => {
        if (ws.readyState === OPEN) ws.send(PING_FRAME);
      }, PING_INTERVAL_MS);
    });
    ws.addEventListener("message", (event) => {
      if (ws !== this.#ws) return;
      this.#heardAt = Date.now();
      const message = readServerFrame(event.data);
      if (message === null) return;
      if (message.type === "welcome") {
        this.#resumeToken = message.resumeToken;
        this.handlers.onStatus("connected", null);
      }
      this.handlers.onMessage(message);
    });
    ws.addEventListener("close", (event) => {
      if (ws !== this.#ws || this.#ended) return;
      clearInterval(this.#pinger);
      const reason = FINAL_CLOSES[event.code];
      if (reason) this.#end(reason);
      // A socket that fails its probe lost its path, not its server: no
      // reason to wait before the next try (the backoff spreads out pages
      // that lost the server all at once).
      else if (this.#probe !== undefined) this.reconnectNow();
      else this.#retry();
    });
  }

  #retry(): void {
    this.#clearTimers();
    const delay = backoffDelay(this.#attempt, this.backoff);
    this.#attempt += 1;
    this.handlers.onStatus("reconnecting", { attempt: this.#attempt, nextAt: Date.now() + delay });
    this.#timers.push(setTimeout(() => this.#connect(), delay));
  }

  #end(reason: SignalingEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#clearTimers();
    clearInterval(this.#pinger);
    clearTimeout(this.#probe);
    this.handlers.onEnd(reason);
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }
}
