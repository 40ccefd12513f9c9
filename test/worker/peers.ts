// Test peers: a WebSocket into a room through the real Worker, with a queue
// of received frames and waits that always time out instead of hanging.
import { exports } from "cloudflare:workers";
import type { ServerMessage, WelcomeMessage } from "../../protocol";

const WAIT_MS = 3_000;

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

export async function openSocket(room: string, query = "", headers: Record<string, string> = {}): Promise<WebSocket> {
  const response = await exports.default.fetch(`http://tincan.test/api/rooms/${room}/ws${query}`, {
    headers: { Upgrade: "websocket", "CF-Connecting-IP": fakeClientAddress(), ...headers },
  });
  const ws = response.webSocket;
  if (!ws) throw new Error(`no WebSocket: HTTP ${response.status} ${await response.text()}`);
  return ws;
}

export class TestPeer {
  private readonly frames: string[] = [];
  /** Every frame this peer ever received, read or not. */
  readonly history: string[] = [];
  private waiters: (() => void)[] = [];
  /** Set by join(). */
  welcome: WelcomeMessage | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const frame = typeof event.data === "string" ? event.data : `<binary ${String(event.data)}>`;
      this.frames.push(frame);
      this.history.push(frame);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        resolve({ code: event.code, reason: event.reason });
        this.wake();
      });
    });
    ws.accept();
  }

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

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The next raw frame, in arrival order. */
  async nextFrame(timeoutMs = WAIT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift()!;
  }

  async next(timeoutMs = WAIT_MS): Promise<ServerMessage> {
    return JSON.parse(await this.nextFrame(timeoutMs)) as ServerMessage;
  }

  /** Frames received but not yet read. */
  pending(): readonly string[] {
    return this.frames;
  }

  async waitClosed(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs),
      ),
    ]);
  }

  close(code = 1000, reason = "bye"): void {
    this.ws.close(code, reason);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
