// A signaling client for the benchmark: Node's own WebSocket, frames parsed
// into a queue, every wait bounded in time.

export interface Frame {
  type: string;
  [key: string]: unknown;
}

export class BenchPeer {
  readonly frames: Frame[] = [];
  id = "";
  private waiters: (() => void)[] = [];
  onFrame: ((frame: Frame, at: number) => void) | null = null;

  readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (event) => {
      const at = performance.now();
      const frame = JSON.parse(String(event.data)) as Frame;
      if (this.onFrame) this.onFrame(frame, at);
      else this.frames.push(frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Opens a socket and waits for welcome; resolves with the time it took (ms). */
  static async join(roomsUrl: string, room: string, name = "bench"): Promise<{ peer: BenchPeer; ms: number }> {
    const started = performance.now();
    const ws = new WebSocket(`${roomsUrl}/${room}/ws?name=${encodeURIComponent(name)}`);
    const peer = new BenchPeer(ws);
    const welcome = await peer.next("welcome", 20_000);
    peer.id = (welcome["self"] as { id: string }).id;
    return { peer, ms: performance.now() - started };
  }

  /** The next queued frame of `type` (others before it are dropped). */
  async next(type: string, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f) => f.type === type);
      if (index >= 0) return this.frames.splice(0, index + 1).at(-1)!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  signal(to: string, data: unknown): void {
    this.ws.send(JSON.stringify({ type: "signal", to, data }));
  }

  close(): void {
    this.ws.close(1000, "bench done");
  }
}

export function benchRoom(prefix: string, i: number): string {
  return `${prefix}-${i}-${Math.random().toString(36).slice(2, 8)}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
