// A test's WebSocket through the real Worker: every frame it receives in a
// queue, and waits that always time out instead of hanging.

export const WAIT_MS = 3_000;

export class FrameSocket {
  private readonly frames: string[] = [];
  /** Every frame this socket ever received, read or not. */
  readonly history: string[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  protected constructor(readonly ws: WebSocket) {
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

  /** Sends text and binary frames as they are, anything else as JSON. */
  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
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
