// Honest stand-ins for what Node lacks: a socket the test plays the server
// on (frames in, frames out, closes with codes), and the few media globals
// the library touches before any peer connects. No peer connection is ever
// made by these tests (rooms stay empty); peer behaviour is tested in
// browsers with the real thing.
import { EventEmitter } from "node:events";

export class FakeSocket {
  static readonly made: FakeSocket[] = [];
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: number | null = null;
  readonly #events = new EventEmitter();

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  static last(): FakeSocket {
    const socket = FakeSocket.made.at(-1);
    if (!socket) throw new Error("no socket was opened");
    return socket;
  }

  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.#events.on(type, listener);
  }

  removeEventListener(type: string, listener: (event: unknown) => void): void {
    this.#events.off(type, listener);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(data);
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.closedWith = code;
    this.readyState = 3;
    this.#events.emit("close", { code });
  }

  /** The server side: the upgrade succeeded. */
  accept(): void {
    this.readyState = 1;
    this.#events.emit("open", {});
  }

  /** The server side: a frame arrives. */
  deliver(frame: object): void {
    this.#events.emit("message", { data: JSON.stringify(frame) });
  }

  /** The server (or the network) closes the socket. */
  drop(code: number): void {
    this.readyState = 3;
    this.#events.emit("close", { code });
  }

  /** Frames the client sent, parsed (pings excluded). */
  frames(): { type: string; [key: string]: unknown }[] {
    return this.sent.map((s) => JSON.parse(s) as { type: string }).filter((f) => f.type !== "ping");
  }
}

/** A MediaStream with tracks in a list: all the library asks of one before it connects. */
class FakeMediaStream {
  readonly #tracks: { kind: string; enabled: boolean }[] = [];
  getTracks() {
    return [...this.#tracks];
  }
  getAudioTracks() {
    return this.#tracks.filter((t) => t.kind === "audio");
  }
  getVideoTracks() {
    return this.#tracks.filter((t) => t.kind === "video");
  }
  addTrack(track: { kind: string; enabled: boolean }) {
    this.#tracks.push(track);
  }
  removeTrack(track: { kind: string; enabled: boolean }) {
    const i = this.#tracks.indexOf(track);
    if (i >= 0) this.#tracks.splice(i, 1);
  }
}

/** Installed as the global MediaStream (Node has none). */
export function installMediaStream(): void {
  (globalThis as { MediaStream?: unknown }).MediaStream ??= FakeMediaStream;
}

/** An RTCPeerConnection class that may be asked for a certificate and nothing else. */
export class NoPeerConnection {
  static generateCertificate(): Promise<never> {
    return Promise.reject(new Error("no certificates in Node"));
  }
  constructor() {
    throw new Error("these tests never connect to a peer");
  }
}

export const WELCOME = {
  type: "welcome",
  self: { id: "p-self", name: "Ada" },
  peers: [],
  capacity: 8,
  iceServers: [],
  iceServersExpireAt: null,
  resumeToken: "r-1",
  resumed: false,
  locked: false,
  lockedBy: null,
};
