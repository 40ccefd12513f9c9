// One RTCPeerConnection to one remote peer, negotiated with the W3C
// perfect-negotiation pattern. Signals for this peer are processed strictly
// in arrival order.
import { readPeerSignal, type IceServer, type PeerInfo, type PeerSignal, type SignalData } from "../../worker/protocol";
import { pathFromStats, type IcePath, type StatsEntry } from "./ice-path";
import { decideOnDescription, isPolite } from "./negotiation";

export type LinkState = "connecting" | "connected" | "reconnecting" | "failed" | "closed";

export interface PeerLinkOptions {
  selfId: string;
  remote: PeerInfo;
  iceServers: IceServer[];
  localStream: MediaStream | null;
  /** Only relay candidates (the `?relay=1` test switch). */
  relayOnly: boolean;
  /**
   * The newcomer offers; the peer already in the room answers. Starting from
   * one side avoids a guaranteed offer collision on every join; perfect
   * negotiation still settles any later one (e.g. both sides renegotiating).
   */
  initiator: boolean;
  sendSignal(data: PeerSignal & SignalData): void;
  onRemoteStream(stream: MediaStream): void;
  onState(state: LinkState): void;
  /** Direct or relayed, learned once connected (and after every reconnect). */
  onPath(path: IcePath): void;
}

export class PeerLink {
  readonly pc: RTCPeerConnection;
  private readonly polite: boolean;
  private makingOffer = false;
  private ignoreOffer = false;
  private answerPending = false;
  private localTracksAdded = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: PeerLinkOptions) {
    this.polite = isPolite(options.selfId, options.remote.id);
    this.pc = new RTCPeerConnection({
      iceServers: options.iceServers,
      ...(options.relayOnly ? { iceTransportPolicy: "relay" as const } : {}),
    });
    this.pc.addEventListener("negotiationneeded", () => void this.offer());
    this.pc.addEventListener("icecandidate", ({ candidate }) => {
      this.options.sendSignal({ candidate: candidate ? candidate.toJSON() : null });
    });
    this.pc.addEventListener("track", (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.options.onRemoteStream(stream);
    });
    this.pc.addEventListener("connectionstatechange", () => {
      const state = this.state();
      this.options.onState(state);
      if (state === "connected") void this.path().then((path) => this.options.onPath(path));
    });
    if (options.initiator) {
      if (options.localStream) this.addLocalTracks();
      else {
        // Receive-only newcomer: ask for media without sending any.
        this.pc.addTransceiver("audio", { direction: "recvonly" });
        this.pc.addTransceiver("video", { direction: "recvonly" });
      }
    }
  }

  state(): LinkState {
    switch (this.pc.connectionState) {
      case "connected":
        return "connected";
      case "disconnected":
        return "reconnecting";
      case "failed":
        return "failed";
      case "closed":
        return "closed";
      default:
        return "connecting";
    }
  }

  /** Feed one `signal` from this peer; malformed ones are dropped. */
  receive(data: SignalData): void {
    const signal = readPeerSignal(data);
    if (signal === null) return;
    this.queue = this.queue
      .then(() => this.apply(signal))
      .catch((error: unknown) => {
        console.warn("tincan: signal from", this.options.remote.id, "failed:", error);
      });
  }

  /** The path the media takes now. */
  async path(): Promise<IcePath> {
    try {
      const report = await this.pc.getStats();
      return pathFromStats(report.values() as Iterable<StatsEntry>);
    } catch {
      return "unknown";
    }
  }

  /**
   * New ICE servers (fresh TURN credentials) for this connection. A relayed
   * connection restarts ICE at once: its allocation was made with the old
   * credentials and dies with them.
   */
  async updateIceServers(iceServers: IceServer[]): Promise<void> {
    if (this.pc.signalingState === "closed") return;
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    if ((await this.path()) === "relayed") this.pc.restartIce();
  }

  close(): void {
    this.pc.close();
    this.options.onState("closed");
  }

  private addLocalTracks(): void {
    const stream = this.options.localStream;
    if (this.localTracksAdded || !stream) return;
    this.localTracksAdded = true;
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch (error) {
      console.warn("tincan: making an offer failed:", error);
    } finally {
      this.makingOffer = false;
    }
  }

  private sendDescription(): void {
    const local = this.pc.localDescription;
    if (local) this.options.sendSignal({ description: { type: local.type, sdp: local.sdp } });
  }

  private async apply(signal: PeerSignal): Promise<void> {
    if ("candidate" in signal) {
      try {
        await this.pc.addIceCandidate(signal.candidate ?? undefined);
      } catch (error) {
        // Candidates of an offer we ignored are expected to fail.
        if (!this.ignoreOffer) throw error;
      }
      return;
    }
    const { description } = signal;
    const decision = decideOnDescription(description.type, {
      polite: this.polite,
      makingOffer: this.makingOffer,
      signalingState: this.pc.signalingState,
      answerPending: this.answerPending,
    });
    this.ignoreOffer = decision.ignore;
    if (decision.ignore) return;
    this.answerPending = description.type === "answer";
    // On a collision the polite side's setRemoteDescription rolls back its own offer.
    await this.pc.setRemoteDescription(description);
    this.answerPending = false;
    if (description.type === "offer") {
      // The answering side sends its media in its first answer: adding the
      // tracks now reuses the transceivers the offer created.
      this.addLocalTracks();
      await this.pc.setLocalDescription();
      this.sendDescription();
    }
  }
}
