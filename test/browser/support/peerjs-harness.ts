// What runs inside the test page next to the unmodified peerjs client: one
// Peer per page, with everything it and its connections emit written down,
// so the test (in Node) can drive it through page.evaluate and poll what
// happened. Nothing here changes how peerjs talks to its server.
import type { DataConnection, MediaConnection, Peer, PeerJSOption } from "peerjs";

/** A data-channel payload as it crosses page.evaluate: bytes as a list, anything else as JSON. */
export type Wire = { kind: "binary"; type: string; bytes: number[] } | { kind: "json"; value: unknown };

export interface VideoIn {
  framesDecoded: number;
  videoWidth: number;
}

export interface PeerState {
  id: string | null;
  open: boolean;
  disconnected: boolean;
  destroyed: boolean;
}

export interface PeerjsHarness {
  /** Every event, in order, stamped with ms since the page loaded: the story a failure message tells. */
  log: string[];
  /** `err.type` of every 'error' the Peer emitted, with when (ms since load). */
  errors: { type: string; message: string; at: number }[];
  /** The id each 'open' reported (a reconnect adds one). */
  opens: string[];
  disconnects: number;
  start(id: string | null, options: PeerJSOption): void;
  /** Starts a data connection to `remote` and returns when (ms since load) it asked. */
  connect(remote: string): number;
  dataOpen(remote: string): boolean;
  send(remote: string, payload: Wire): void;
  received(remote: string): Wire[];
  call(remote: string): Promise<void>;
  incomingCall(remote: string): boolean;
  answer(remote: string): Promise<void>;
  videoFrom(remote: string): Promise<VideoIn>;
  reconnect(): void;
  state(): PeerState;
}

declare global {
  interface Window {
    /** What peerjs.min.js defines. */
    peerjs: { Peer: typeof Peer };
    __peerjs: PeerjsHarness;
  }
}

/** The page the harness runs in: nothing but the client library, loaded from the same origin. */
export const HARNESS_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>peerjs harness</title>
<script src="/__test/peerjs.min.js"></script>
</html>
`;

/** Installs window.__peerjs. Runs in the page (serialized by page.evaluate): it may use nothing from outside. */
export function installPeerjsHarness(): void {
  let peer: Peer | undefined;
  let camera: Promise<MediaStream> | undefined;
  const data = new Map<string, DataConnection>();
  const inbox = new Map<string, Wire[]>();
  const calls = new Map<string, MediaConnection>();
  const incoming = new Map<string, MediaConnection>();
  const videos = new Map<string, HTMLVideoElement>();

  const now = () => Math.round(performance.now());
  const note = (entry: string) => harness.log.push(`${now()} ms: ${entry}`);
  const must = (): Peer => {
    if (!peer) throw new Error("no Peer yet: call start() first");
    return peer;
  };

  const toWire = (value: unknown): Wire => {
    if (value instanceof ArrayBuffer) return { kind: "binary", type: "ArrayBuffer", bytes: [...new Uint8Array(value)] };
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return { kind: "binary", type: value.constructor.name, bytes: [...bytes] };
    }
    return { kind: "json", value };
  };
  const fromWire = (wire: Wire): unknown => {
    if (wire.kind === "json") return wire.value;
    const bytes = new Uint8Array(wire.bytes);
    return wire.type === "ArrayBuffer" ? bytes.buffer : bytes;
  };

  const watchData = (connection: DataConnection) => {
    const remote = connection.peer;
    data.set(remote, connection);
    inbox.set(remote, inbox.get(remote) ?? []);
    connection.on("open", () => note(`data connection with ${remote} open`));
    connection.on("data", (value) => inbox.get(remote)!.push(toWire(value)));
    connection.on("close", () => note(`data connection with ${remote} closed`));
    connection.on("error", (error) => note(`data connection with ${remote} error ${error.type}: ${error.message}`));
  };

  // Each answered or placed call shows what it receives in a video element of
  // its own, as an app would: decoding is what proves the media arrived.
  const watchCall = (call: MediaConnection) => {
    const remote = call.peer;
    calls.set(remote, call);
    call.on("stream", (stream) => {
      note(`call with ${remote}: remote stream with ${stream.getTracks().length} track(s)`);
      const video = videos.get(remote) ?? document.body.appendChild(document.createElement("video"));
      video.muted = true;
      video.autoplay = true;
      video.playsInline = true;
      video.srcObject = stream;
      videos.set(remote, video);
      void video.play().catch((error: unknown) => note(`video from ${remote} does not play: ${String(error)}`));
    });
    call.on("close", () => note(`call with ${remote} closed`));
    call.on("error", (error) => note(`call with ${remote} error ${error.type}: ${error.message}`));
  };

  const ownCamera = () => (camera ??= navigator.mediaDevices.getUserMedia({ video: true, audio: false }));

  const harness: PeerjsHarness = {
    log: [],
    errors: [],
    opens: [],
    disconnects: 0,
    start(id, options) {
      if (peer) throw new Error("this page already has a Peer");
      const created = id === null ? new window.peerjs.Peer(options) : new window.peerjs.Peer(id, options);
      peer = created;
      note(`new Peer(${id === null ? "" : JSON.stringify(id)})`);
      created.on("open", (openId) => {
        harness.opens.push(openId);
        note(`open as ${openId}`);
      });
      created.on("error", (error) => {
        harness.errors.push({ type: error.type, message: error.message, at: now() });
        note(`error ${error.type}: ${error.message}`);
      });
      created.on("disconnected", (lastId) => {
        harness.disconnects += 1;
        note(`disconnected (was ${lastId})`);
      });
      created.on("close", () => note("closed (destroyed)"));
      created.on("connection", (connection) => {
        note(`incoming data connection from ${connection.peer}`);
        watchData(connection);
      });
      created.on("call", (call) => {
        note(`incoming call from ${call.peer}`);
        incoming.set(call.peer, call);
      });
    },
    connect(remote) {
      // reliable: an ordered channel, so the test may compare payloads in order.
      const connection = must().connect(remote, { reliable: true });
      if (!connection) throw new Error(`connect(${remote}) returned nothing (the Peer is disconnected)`);
      note(`connect(${remote})`);
      watchData(connection);
      return now();
    },
    dataOpen: (remote) => data.get(remote)?.open === true,
    send(remote, payload) {
      const connection = data.get(remote);
      if (!connection?.open) throw new Error(`no open data connection with ${remote}`);
      void connection.send(fromWire(payload));
    },
    received: (remote) => inbox.get(remote) ?? [],
    async call(remote) {
      const stream = await ownCamera();
      const call = must().call(remote, stream);
      if (!call) throw new Error(`call(${remote}) returned nothing (the Peer is disconnected)`);
      note(`call(${remote})`);
      watchCall(call);
    },
    incomingCall: (remote) => incoming.has(remote),
    async answer(remote) {
      const call = incoming.get(remote);
      if (!call) throw new Error(`no call from ${remote} to answer`);
      const stream = await ownCamera();
      watchCall(call);
      call.answer(stream);
      note(`answered ${remote}`);
    },
    async videoFrom(remote) {
      const call = calls.get(remote);
      let framesDecoded = 0;
      if (call?.peerConnection) {
        const stats = await call.peerConnection.getStats();
        stats.forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
          if (report.type === "inbound-rtp" && report.kind === "video") framesDecoded += report.framesDecoded ?? 0;
        });
      }
      return { framesDecoded, videoWidth: videos.get(remote)?.videoWidth ?? 0 };
    },
    reconnect() {
      note("reconnect()");
      must().reconnect();
    },
    state() {
      const current = must();
      return { id: current.id, open: current.open, disconnected: current.disconnected, destroyed: current.destroyed };
    },
  };
  window.__peerjs = harness;
}
