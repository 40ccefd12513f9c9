// The page's end of the signaling socket: typed sends, server frames
// dispatched by type. Reconnection is not here yet; a lost socket is
// reported to the page, which says so.
import { PING_FRAME, encode, type ClientMessage, type ServerMessage } from "../../worker/protocol";

// Well inside the idle timeouts of proxies and of the room.
const PING_INTERVAL_MS = 25_000;

export interface SignalingHandlers {
  onMessage(message: ServerMessage): void;
  /** The socket closed; `byUs` is true after leave() or close(). */
  onClose(event: { code: number; reason: string; byUs: boolean }): void;
}

export function roomSocketUrl(room: string, name: string): string {
  const url = new URL(`/api/rooms/${encodeURIComponent(room)}/ws`, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("name", name);
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

export class SignalingClient {
  private readonly ws: WebSocket;
  private closedByUs = false;
  private readonly pinger: ReturnType<typeof setInterval>;

  constructor(url: string, handlers: SignalingHandlers) {
    this.ws = new WebSocket(url);
    this.ws.addEventListener("message", (event) => {
      const message = readServerFrame(event.data);
      if (message !== null) handlers.onMessage(message);
    });
    this.ws.addEventListener("close", (event) => {
      clearInterval(this.pinger);
      handlers.onClose({ code: event.code, reason: event.reason, byUs: this.closedByUs });
    });
    this.pinger = setInterval(() => {
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(PING_FRAME);
    }, PING_INTERVAL_MS);
  }

  send(message: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encode(message));
  }

  /** Tell the room we are going (others learn at once), then close. */
  leave(): void {
    this.closedByUs = true;
    this.send({ type: "leave" } satisfies ClientMessage);
    // The room closes the socket after `leave`; close too in case it never answers.
    setTimeout(() => this.ws.close(1000, "left"), 1000);
  }
}
