// A PeerJS client as the tests need it: the wire protocol spoken by hand
// through the real Worker, so each frame and close can be looked at.
import { exports } from "cloudflare:workers";
import type { PeerJsServerFrame } from "../../protocol/peerjs";
import { FrameSocket, WAIT_MS } from "../worker/frame-socket";
import { fakeClientAddress } from "../worker/peers";

export const ORIGIN = "http://tincan.test";

/** A fresh id, in the client's own alphabet. */
export function uniqueId(prefix = "p"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export function socketUrl(query: Record<string, string>): string {
  return `${ORIGIN}/peerjs/peerjs?${new URLSearchParams(query).toString()}`;
}

export class PeerJsClient extends FrameSocket {
  private constructor(
    ws: WebSocket,
    readonly id: string,
    readonly token: string,
  ) {
    super(ws);
  }

  /** Opens a socket with exactly this query (and headers); reads nothing. */
  static async raw(query: Record<string, string>, headers: Record<string, string> = {}): Promise<PeerJsClient> {
    const response = await exports.default.fetch(socketUrl(query), {
      headers: { Upgrade: "websocket", "CF-Connecting-IP": fakeClientAddress(), ...headers },
    });
    const ws = response.webSocket;
    if (!ws) throw new Error(`no WebSocket: HTTP ${response.status} ${await response.text()}`);
    return new PeerJsClient(ws, query["id"] ?? "", query["token"] ?? "");
  }

  /** Connects as `id` and reads the first frame, which must be OPEN. */
  static async open(id = uniqueId(), token: string = crypto.randomUUID()): Promise<PeerJsClient> {
    const client = await PeerJsClient.raw({ key: "peerjs", id, token, version: "1.5.5" });
    const first = await client.next();
    if (first.type !== "OPEN") throw new Error(`expected OPEN, got ${JSON.stringify(first)}`);
    return client;
  }

  async next(timeoutMs = WAIT_MS): Promise<PeerJsServerFrame> {
    return JSON.parse(await this.nextFrame(timeoutMs)) as PeerJsServerFrame;
  }

  /** Sends a frame for `dst` as the client does. */
  to(dst: string, type: string, payload: unknown = {}): void {
    this.send({ type, dst, payload });
  }

  /** Waits `ms` and says what arrived meanwhile (for "nothing may arrive" checks). */
  async quietFor(ms: number): Promise<readonly string[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.pending();
  }
}
