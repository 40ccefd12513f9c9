// Another WebRTC stack calling a Tincan page: a bare RTCPeerConnection that
// speaks the documented protocol (docs/protocol.md) and nothing of the
// page's code. It joins the room, offers only what it is told to (audio
// only, video only, no data channel), answers what the page offers, and
// records every description it receives, in order.
import type { Evaluator } from "./evaluator.ts";

export interface ForeignOptions {
  /** The room's socket URL (ws://…/api/rooms/{room}/ws). */
  socketUrl: string;
  audio: boolean;
  video: boolean;
  dataChannel: boolean;
  /** Which side of the politeness rule to be on: rejoins (new id) until it is. */
  polite: boolean;
  /**
   * Send every candidate of the offer before the offer itself (whose SDP then
   * carries none): what a client that trickles out of order looks like. The
   * client then also ignores the page's candidates, so the call can only
   * connect if the page used those early ones.
   */
  candidatesFirst?: boolean;
}

export interface ForeignReport {
  /** Types of the descriptions the page sent, in arrival order. */
  received: string[];
  connectionState: string;
  videoFrames: number;
  audioPackets: number;
  /** The m-lines of the page's latest description. */
  remoteMedia: string[];
  joins: number;
}

/** Starts the client in the page; it runs until the page closes. */
export async function startForeignClient(page: Evaluator, options: ForeignOptions): Promise<void> {
  await page.evaluate(async (o) => {
    type Frame = { type: string; [key: string]: unknown };
    const w = window as unknown as { __foreign: { received: string[]; pc: RTCPeerConnection; joins: number } };
    const open = () =>
      new Promise<{ ws: WebSocket; welcome: Frame; queue: Frame[] }>((resolve, reject) => {
        const ws = new WebSocket(o.socketUrl);
        const queue: Frame[] = [];
        let welcome: Frame | null = null;
        ws.addEventListener("message", (event) => {
          const frame = JSON.parse(event.data as string) as Frame;
          if (welcome === null && frame.type === "welcome") {
            welcome = frame;
            resolve({ ws, welcome, queue });
          } else queue.push(frame);
        });
        ws.addEventListener("error", () => reject(new Error("socket failed")));
      });
    let joins = 0;
    let joined: Awaited<ReturnType<typeof open>>;
    let peerId: string;
    for (;;) {
      joined = await open();
      joins += 1;
      const self = (joined.welcome["self"] as { id: string }).id;
      peerId = (joined.welcome["peers"] as { id: string }[])[0]!.id;
      // The protocol's rule: the peer whose id sorts first is polite.
      if (self < peerId === o.polite || joins >= 30) break;
      joined.ws.send(JSON.stringify({ type: "leave" }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { ws, queue } = joined;
    const send = (data: object) => ws.send(JSON.stringify({ type: "signal", to: peerId, data }));
    const pc = new RTCPeerConnection({ iceServers: [] });
    w.__foreign = { received: [], pc, joins };
    if (o.audio || o.video) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: o.audio, video: o.video });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
    }
    if (o.dataChannel) pc.createDataChannel("tincan", { negotiated: true, id: 0 });
    const early: RTCIceCandidateInit[] = [];
    let offerSent = !o.candidatesFirst;
    pc.addEventListener("icecandidate", ({ candidate }) => {
      if (!candidate?.candidate) return;
      if (offerSent) send({ candidates: [candidate.toJSON()] });
      else early.push(candidate.toJSON());
    });
    // Signals are applied strictly in order, as the protocol asks.
    let chain = Promise.resolve();
    const onFrame = (frame: Frame) => {
      if (frame.type !== "signal") return;
      const data = frame["data"] as {
        description?: RTCSessionDescriptionInit;
        candidates?: RTCIceCandidateInit[];
      };
      const strip = (sdp = "") =>
        sdp
          .split("\r\n")
          .filter((line) => !line.startsWith("a=candidate:"))
          .join("\r\n");
      chain = chain.then(async () => {
        if (data.description) {
          w.__foreign.received.push(data.description.type!);
          const { type, sdp } = data.description;
          await pc.setRemoteDescription(o.candidatesFirst ? { type, sdp: strip(sdp) } : data.description);
          if (data.description.type === "offer") {
            await pc.setLocalDescription();
            send({ description: { type: "answer", sdp: pc.localDescription!.sdp } });
          }
        }
        if (o.candidatesFirst) return;
        for (const candidate of data.candidates ?? []) await pc.addIceCandidate(candidate);
      });
    };
    for (const frame of queue) onFrame(frame);
    ws.addEventListener("message", (event) => onFrame(JSON.parse(event.data as string) as Frame));
    await pc.setLocalDescription();
    if (o.candidatesFirst) {
      while (pc.iceGatheringState !== "complete") await new Promise((resolve) => setTimeout(resolve, 20));
      for (const candidate of early) send({ candidates: [candidate] });
      const bare = pc.localDescription!.sdp.split("\r\n").filter((line) => !line.startsWith("a=candidate:"));
      send({ description: { type: "offer", sdp: bare.join("\r\n") } });
      offerSent = true;
      return;
    }
    send({ description: { type: "offer", sdp: pc.localDescription!.sdp } });
  }, options);
}

export async function foreignReport(page: Evaluator): Promise<ForeignReport> {
  return page.evaluate(async () => {
    const w = window as unknown as { __foreign: { received: string[]; pc: RTCPeerConnection; joins: number } };
    const { pc, received, joins } = w.__foreign;
    let videoFrames = 0;
    let audioPackets = 0;
    (await pc.getStats()).forEach(
      (r: { type: string; kind?: string; framesDecoded?: number; packetsReceived?: number }) => {
        if (r.type !== "inbound-rtp") return;
        if (r.kind === "video") videoFrames += r.framesDecoded ?? 0;
        if (r.kind === "audio") audioPackets += r.packetsReceived ?? 0;
      },
    );
    const sdp = pc.remoteDescription?.sdp ?? "";
    return {
      received: [...received],
      connectionState: pc.connectionState,
      videoFrames,
      audioPackets,
      remoteMedia: sdp
        .split("\r\n")
        .filter((line) => line.startsWith("m="))
        .map((line) => line.split(" ")[0]!),
      joins,
    };
  }, undefined);
}
