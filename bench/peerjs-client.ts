// A PeerJS client for the benchmark, speaking the peerjs-server's protocol
// over a Node `ws` socket (no browser, no WebRTC): it waits for OPEN, sends
// OFFER/ANSWER/CANDIDATE frames with `dst`, and heartbeats as the peerjs
// client does. Every wait is bounded in time.
import WebSocket from "ws";
import { PEERJS_HEARTBEAT_FRAME } from "../protocol/peerjs.ts";
import { peerjsSocketUrl, type PeerjsServer } from "./peerjs-servers.ts";

export interface PeerjsFrame {
  type: string;
  src?: string;
  dst?: string;
  payload?: unknown;
}

/** A frame that is not JSON is shown as a type no server sends, for a scenario to count, never thrown. */
function parse(text: string): PeerjsFrame {
  try {
    return JSON.parse(text) as PeerjsFrame;
  } catch {
    return { type: "(not JSON)", payload: text.slice(0, 200) };
  }
}

/** The peerjs client's own heartbeat interval (its `pingInterval` default). */
const HEARTBEAT_MS = 5_000;

export class PeerjsClient {
  /** Frames after OPEN; none are kept without a handler (a scenario sets one before it sends). */
  onFrame: ((frame: PeerjsFrame, at: number) => void) | null = null;
  readonly id: string;
  private readonly ws: WebSocket;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(id: string, ws: WebSocket) {
    this.id = id;
    this.ws = ws;
    this.heartbeat = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send(PEERJS_HEARTBEAT_FRAME);
    }, HEARTBEAT_MS);
    // Never what keeps the benchmark's process alive.
    this.heartbeat.unref();
    ws.on("message", (data) => {
      const at = performance.now();
      const frame = parse(String(data));
      // A server may answer heartbeats (Tincan's runtime does, without waking its object): keep-alive, not relaying.
      if (frame.type !== "HEARTBEAT") this.onFrame?.(frame, at);
    });
    ws.on("close", () => clearInterval(this.heartbeat));
  }

  /**
   * Opens a socket for `id` and waits for the server's OPEN; resolves with
   * the time from opening the socket (so the handshake counts) to OPEN, ms.
   */
  static open(server: PeerjsServer, id: string, timeoutMs = 20_000): Promise<{ client: PeerjsClient; ms: number }> {
    const started = performance.now();
    const token = Math.random().toString(36).slice(2, 12);
    const ws = new WebSocket(peerjsSocketUrl(server, id, token));
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        // terminate() itself emits an error and a close: report the first cause only.
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners("message");
        ws.terminate();
        reject(new Error(`${server.name}: ${id}: ${why}`));
      };
      const timer = setTimeout(() => fail(`no OPEN within ${timeoutMs} ms`), timeoutMs);
      // An upgrade refused (e.g. 404) or a reset: errors must have a listener or they end the process.
      ws.on("error", (error) => fail(error.message));
      ws.once("close", (code) => fail(`closed (${code}) before OPEN`));
      ws.once("message", (data) => {
        const ms = performance.now() - started;
        const frame = parse(String(data));
        if (frame.type !== "OPEN") return fail(`first frame ${String(data).slice(0, 200)}, not OPEN`);
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners("close");
        ws.removeAllListeners("error");
        ws.on("error", () => {}); // after OPEN, a reset shows as missing frames, which the scenarios count
        resolve({ client: new PeerjsClient(id, ws), ms });
      });
    });
  }

  send(type: "OFFER" | "ANSWER" | "CANDIDATE", dst: string, payload: unknown): void {
    this.ws.send(JSON.stringify({ type, dst, payload }));
  }

  /** The extensions the server agreed to (`permessage-deflate…`, as with a browser), or "" for none. */
  get extensions(): string {
    return this.ws.extensions;
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.ws.close(1000, "bench done");
  }
}

/** PeerJS ids are letters and digits (with inner - or _): `bench` + a tag per run + a number. */
export function peerjsId(tag: string, i: number): string {
  return `bench${tag}x${i}`;
}

export function runTag(): string {
  return Math.random().toString(36).slice(2, 8);
}
