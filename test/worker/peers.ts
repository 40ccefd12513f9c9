// Test peers: a room's WebSocket through the real Worker (./frame-socket has
// the frame queue and the waits).
import { exports } from "cloudflare:workers";
import type { ServerMessage, WelcomeMessage } from "../../protocol";
import { LIMIT_WINDOW_SECONDS } from "../../worker/config";
import { FrameSocket, WAIT_MS } from "./frame-socket";

export function uniqueRoom(prefix = "t"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/**
 * Every test peer comes from an address of its own (an opaque label, no real
 * address), so the per-IP join limit applies as in production without one
 * test's joins counting against another's.
 */
export function fakeClientAddress(): string {
  return `test-client-${crypto.randomUUID()}`;
}

/**
 * The Rate Limiting binding counts in fixed windows aligned to the clock
 * (60 s here): a test that spends a budget must not straddle a window's
 * end, or the count starts again half-way. Starts it clear of the edge.
 */
export async function clearOfWindowEdge(): Promise<void> {
  const left = LIMIT_WINDOW_SECONDS * 1000 - (Date.now() % (LIMIT_WINDOW_SECONDS * 1000));
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

export async function openSocket(room: string, query = "", headers: Record<string, string> = {}): Promise<WebSocket> {
  const response = await exports.default.fetch(`http://tincan.test/api/rooms/${room}/ws${query}`, {
    headers: { Upgrade: "websocket", "CF-Connecting-IP": fakeClientAddress(), ...headers },
  });
  const ws = response.webSocket;
  if (!ws) throw new Error(`no WebSocket: HTTP ${response.status} ${await response.text()}`);
  return ws;
}

export class TestPeer extends FrameSocket {
  /** Set by join(). */
  welcome: WelcomeMessage | null = null;

  /** Opens a socket without waiting for anything. */
  static async connect(room: string, query = "", headers: Record<string, string> = {}): Promise<TestPeer> {
    return new TestPeer(await openSocket(room, query, headers));
  }

  /** Joins and returns the peer with its welcome already read. */
  static async join(room: string, name?: string): Promise<TestPeer> {
    const peer = await TestPeer.connect(room, name === undefined ? "" : `?name=${encodeURIComponent(name)}`);
    const welcome = await peer.next();
    if (welcome.type !== "welcome") throw new Error(`expected welcome, got ${JSON.stringify(welcome)}`);
    peer.welcome = welcome;
    return peer;
  }

  /** Reconnects with a resume token and reads the welcome. */
  static async resume(room: string, token: string): Promise<TestPeer> {
    const peer = await TestPeer.connect(room, `?resume=${encodeURIComponent(token)}`);
    const welcome = await peer.next();
    if (welcome.type !== "welcome") throw new Error(`expected welcome, got ${JSON.stringify(welcome)}`);
    peer.welcome = welcome;
    return peer;
  }

  get token(): string {
    if (!this.welcome) throw new Error("this peer has not joined");
    return this.welcome.resumeToken;
  }

  get id(): string {
    if (!this.welcome) throw new Error("this peer has not joined");
    return this.welcome.self.id;
  }

  async next(timeoutMs = WAIT_MS): Promise<ServerMessage> {
    return JSON.parse(await this.nextFrame(timeoutMs)) as ServerMessage;
  }
}
