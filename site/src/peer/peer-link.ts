// One RTCPeerConnection to one remote peer, negotiated with the W3C
// perfect-negotiation pattern. Signals for this peer are processed strictly
// in arrival order.
import {
  PEER_CHANNELS,
  readPeerSignal,
  type IceCandidate,
  type IceServer,
  type PeerInfo,
  type PeerSignal,
  type SignalData,
} from "../../../protocol";
import { pathFromStats, type IcePath, type StatsEntry } from "./ice-path";
import { LinkRecovery } from "./link-recovery";
import { bundledAway, sessionId } from "./sdp-facts";
import { decideOnDescription, isPolite } from "./negotiation";
import { SignalOutbox } from "./outbox";
import { LinkSenders } from "./link-senders";
import type { VideoEncoding } from "./sender-policy";

import type { LinkState } from "./link-state";

export type { LinkState } from "./link-state";

export interface PeerLinkOptions {
  /** The constructor to use (the global one unless a test or runtime injects its own). */
  RTCPeerConnection: typeof RTCPeerConnection;
  selfId: string;
  remote: PeerInfo;
  iceServers: IceServer[];
  /** This page's outgoing media; its tracks may change during the call. */
  localStream: MediaStream;
  /** Only relay candidates (the `?relay=1` test switch). */
  relayOnly: boolean;
  /**
   * The newcomer offers; the peer already in the room answers. Starting from
   * one side avoids a guaranteed offer collision on every join; perfect
   * negotiation still settles any later one (e.g. both sides renegotiating).
   */
  initiator: boolean;
  /** false when the signaling socket was down and the signal was dropped. */
  sendSignal(data: PeerSignal & SignalData): boolean;
  onRemoteStream(stream: MediaStream): void;
  onState(state: LinkState): void;
  /** Direct or relayed, learned once connected (and after every reconnect). */
  onPath(path: IcePath): void;
  /** ICE lost the path, or media stopped arriving: the page's own network may have changed. */
  onPathLost(): void;
  /** True while the call itself is about to restart every connection (our network changed). */
  restartsHeld(): boolean;
  /**
   * This connection cannot come back: its DTLS (and with it the data
   * channels and media keys) failed while ICE did not, which no ICE restart
   * repairs. The call replaces it with a new one.
   */
  onBroken(): void;
  /**
   * The peer replaced its connection to us (an offer of a new session): ours
   * is replaced too, and the new one (returned) gets this signal and every
   * later one that reaches this connection.
   */
  onPeerRebuilt(): { receive(data: unknown): void };
  /** One certificate for every connection of the page, so a replaced connection keeps its fingerprint (and safety code). */
  certificate?: RTCCertificate | undefined;
  /**
   * For a connection that replaces one: the session of the peer's old
   * connection. Descriptions from it (an ICE restart of the old one, still
   * on its way) belong to what was replaced, and are dropped.
   */
  staleSession?: string | null | undefined;
}

/** More candidates than any peer gathers before its description goes out. */
const MAX_EARLY_CANDIDATES = 256;

/** How often a connected link looks again at which path its media takes. */
const PATH_RECHECK_MS = 2_000;

/** A candidate line of a relay. */
const RELAY_CANDIDATE = / typ relay( |$)/m;

export class PeerLink {
  readonly pc: RTCPeerConnection;
  /**
   * The peers' own data channel (chat, state). Negotiated (both sides create
   * id 0), so it rides in the first offer and costs no extra signaling.
   */
  readonly channel: RTCDataChannel;
  /** A second negotiated channel for file transfers, so chat never waits behind a file. */
  readonly fileChannel: RTCDataChannel;
  /** A third for an app's own messages (the client library's `room.send`): never mixed with ours. */
  readonly appChannel: RTCDataChannel;
  /** What this peer sends us, audio and video together. */
  readonly remoteStream = new MediaStream();
  /** Our own media on this connection: tracks, streams, budgets. */
  readonly #senders: LinkSenders;
  /** A signal of ours was dropped while signaling was down: negotiation must start over. */
  #lostSignals = false;
  readonly #recovery: LinkRecovery;
  /** Either side has a relay candidate: without one, a failed connection stays failed. */
  #relayKnown = false;
  /** Failed with no relay on either side; cleared once connected. */
  #blocked = false;
  /** Reported broken (or replaced) once: nothing more comes from this connection. */
  #broken = false;
  #dtlsWatched = false;
  /** Replaced by the peer's new connection: signals go on to ours. */
  #forwardTo: ((data: unknown) => void) | null = null;
  /** Which watch of the path is current (a reconnect starts a new one). */
  #pathWatch = 0;
  readonly #outbox: SignalOutbox;
  readonly #polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #answerPending = false;
  /**
   * The answering side stays quiet until the newcomer's first offer: its own
   * data channel would otherwise make it offer too, a collision on every join.
   */
  #awaitingFirstOffer: boolean;
  #queue: Promise<void> = Promise.resolve();
  /** Candidates that arrived before any description of the peer's. */
  readonly #earlyCandidates: (IceCandidate | null)[] = [];

  constructor(private readonly options: PeerLinkOptions) {
    this.#polite = isPolite(options.selfId, options.remote.id);
    this.#awaitingFirstOffer = !options.initiator;
    this.pc = new options.RTCPeerConnection({
      iceServers: options.iceServers,
      ...(options.relayOnly ? { iceTransportPolicy: "relay" as const } : {}),
      ...(options.certificate ? { certificates: [options.certificate] } : {}),
    });
    this.#outbox = new SignalOutbox({
      send: (data) => this.#signal(data),
      localDescription: () => {
        const local = this.pc.localDescription;
        return local ? { type: local.type, sdp: local.sdp } : null;
      },
      gatheringComplete: () => this.pc.iceGatheringState === "complete",
    });
    this.#senders = new LinkSenders(this.pc, options.localStream, options.initiator);
    const { messages, files, app } = PEER_CHANNELS;
    this.channel = this.pc.createDataChannel(messages.label, { negotiated: true, id: messages.id });
    this.fileChannel = this.pc.createDataChannel(files.label, { negotiated: true, id: files.id });
    this.appChannel = this.pc.createDataChannel(app.label, { negotiated: true, id: app.id });
    this.appChannel.binaryType = "arraybuffer";
    this.pc.addEventListener("negotiationneeded", () => void this.offer());
    this.pc.addEventListener("icecandidate", ({ candidate }) => {
      if (candidate?.type === "relay") this.#relayKnown = true;
      this.#outbox.candidate(candidate ? candidate.toJSON() : null);
    });
    this.#recovery = new LinkRecovery({
      pc: this.pc,
      polite: this.#polite,
      restart: () => void this.restart(),
      pathLost: () => options.onPathLost(),
      held: () => options.restartsHeld(),
      blocked: () => this.#blocked,
    });
    this.pc.addEventListener("track", ({ track }) => {
      // One stream per peer whatever the sender grouped: a client that sends
      // each track in a stream of its own (or none) is still seen and heard.
      // The latest track of a kind wins (an offer with extra sections).
      for (const old of this.remoteStream.getTracks()) {
        if (old.kind === track.kind && old !== track) this.remoteStream.removeTrack(old);
      }
      this.remoteStream.addTrack(track);
      this.options.onRemoteStream(this.remoteStream);
    });
    this.pc.addEventListener("connectionstatechange", () => {
      const connection = this.pc.connectionState;
      this.#watchDtls();
      if (connection === "connected") this.#blocked = false;
      if (connection === "failed" && !this.#relayKnown) this.#blocked = true;
      const state = this.state();
      this.options.onState(state);
      if (state === "connected") {
        void this.reportPath();
        // Some browsers only accept encodings once the sender is negotiated.
        this.#senders.tune();
      }
      this.#recovery.onConnectionState();
    });
    if (options.initiator) this.#senders.addLocalTracks();
  }

  /**
   * DTLS that was up and then failed (Firefox fails it when a send meets a
   * network that is gone) takes the media keys and the data channels with
   * it, and no ICE restart brings it back. (A DTLS that never came up failed
   * with ICE, which a restart does repair.)
   */
  #watchDtls(): void {
    const dtls = this.pc.sctp?.transport;
    if (!dtls || this.#dtlsWatched) return;
    this.#dtlsWatched = true;
    let wasUp = dtls.state === "connected";
    dtls.addEventListener("statechange", () => {
      if (dtls.state === "connected") wasUp = true;
      if (dtls.state === "failed" && wasUp && this.pc.signalingState !== "closed") this.#breaks();
    });
  }

  #breaks(): void {
    if (this.#broken) return;
    this.#broken = true;
    this.options.onBroken();
  }

  state(): LinkState {
    const connection = this.pc.connectionState;
    // Retries go on in the background, but until one connects the page says
    // why it cannot, not "connecting" again and again.
    if (this.#blocked && connection !== "connected" && connection !== "closed") return "blocked";
    switch (connection) {
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
  receive(data: unknown): void {
    if (this.#forwardTo) {
      this.#forwardTo(data);
      return;
    }
    const signal = readPeerSignal(data);
    if (signal === null) return;
    this.#queue = this.#queue
      .then(() => this.apply(signal))
      .catch((error: unknown) => {
        console.warn("tincan: signal from", this.options.remote.id, "failed:", error);
      });
  }

  /**
   * Tells the page direct or relayed once the stats know (right after
   * `connected` the selected pair is sometimes not in the report yet), and
   * again whenever it changes: ICE may settle on a relay first and move to a
   * direct pair a moment later, or the other way after a network change.
   */
  private async reportPath(): Promise<void> {
    const run = ++this.#pathWatch;
    let reported: IcePath = "unknown";
    while (run === this.#pathWatch && this.pc.connectionState === "connected") {
      const path = await this.path();
      if (path !== "unknown" && path !== reported) {
        reported = path;
        this.options.onPath(path);
      }
      await new Promise((resolve) => setTimeout(resolve, reported === "unknown" ? 250 : PATH_RECHECK_MS));
    }
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

  /**
   * After the signaling socket came back: if anything we sent was refused
   * while it was down, start over with an ICE restart (a fresh offer and
   * fresh candidates, never a replay of old ones). An offer still waiting
   * for its answer may have gone into the dead socket: it is sent again as it
   * is, which a peer that had it answers the same way (a new offer here
   * would race the answer to the old one). A connection that failed or lost
   * its path restarts.
   */
  resync(): void {
    if (this.pc.signalingState === "closed") return;
    if (this.#lostSignals) {
      this.#lostSignals = false;
      void this.restart();
      return;
    }
    if (this.pc.signalingState === "have-local-offer") {
      this.#outbox.resend();
      return;
    }
    const connection = this.pc.connectionState;
    if (connection === "failed" || connection === "disconnected") void this.restart();
  }

  /**
   * The peer's socket to the room was replaced while the room still held the
   * old one: what we sent it just before may never have arrived. An offer of
   * ours still unanswered goes again; anything else the peer restarts.
   */
  peerReconnected(): void {
    if (this.pc.signalingState === "have-local-offer") this.#outbox.resend();
  }

  /** Keeps the video senders at this budget from now on (the room changed, or the track did). */
  setVideoBudget(budget: VideoEncoding | null): void {
    this.#senders.setVideoBudget(budget);
  }

  /**
   * A new track for a kind (another camera, the screen) or none: swapped in
   * without renegotiating when there is already a sender for that kind.
   */
  setTrack(kind: "audio" | "video", track: MediaStreamTrack | null): Promise<void> {
    return this.#senders.setTrack(kind, track);
  }

  /** Ends the connection; `quietly` when a new one takes its place at once (the page shows no "gone"). */
  close(quietly = false): void {
    this.#broken = true;
    this.#recovery.stop();
    this.#pathWatch += 1;
    this.#outbox.close();
    this.pc.close();
    if (!quietly) this.options.onState("closed");
  }

  #signal(data: PeerSignal & SignalData): void {
    if (!this.options.sendSignal(data)) this.#lostSignals = true;
  }

  /** ICE starts over (new credentials, new candidates); an offer of ours never answered is withdrawn first. */
  async restart(): Promise<void> {
    if (this.pc.signalingState === "closed") return;
    // An offer of ours that never arrived is withdrawn; restartIce() then
    // makes negotiationneeded fire with a fresh one.
    if (this.pc.signalingState === "have-local-offer" && !this.#makingOffer) {
      try {
        this.#outbox.discard();
        await this.pc.setLocalDescription({ type: "rollback" });
      } catch {
        // Raced with an answer arriving: fine, the restart still follows.
      }
    }
    this.pc.restartIce();
  }

  private async addCandidate(candidate: IceCandidate | null): Promise<void> {
    if (candidate?.candidate && RELAY_CANDIDATE.test(candidate.candidate)) this.#relayKnown = true;
    // A client may trickle before its description reaches us: keep those
    // candidates (bounded) for right after it, instead of failing them.
    if (this.pc.remoteDescription === null && !this.#ignoreOffer) {
      if (this.#earlyCandidates.length < MAX_EARLY_CANDIDATES) this.#earlyCandidates.push(candidate);
      return;
    }
    // Every browser's offer gathers per section until the answer bundles
    // them (this page's too): candidates of the sections bundled away are dropped.
    if (bundledAway(this.pc.remoteDescription?.sdp, candidate?.sdpMid)) return;
    try {
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch (error) {
      // Candidates of an offer we ignored are expected to fail; one bad
      // candidate never stops the others.
      if (!this.#ignoreOffer) console.warn("tincan: a candidate from", this.options.remote.id, "was refused:", error);
    }
  }

  private async offer(): Promise<void> {
    if (this.#awaitingFirstOffer) return;
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#sendDescription();
    } catch (error) {
      console.warn("tincan: making an offer failed:", error);
    } finally {
      this.#makingOffer = false;
    }
  }

  #sendDescription(): void {
    this.#outbox.described();
    if (this.pc.localDescription?.type === "offer") this.#recovery.offerSent();
  }

  private async apply(signal: PeerSignal): Promise<void> {
    // Queued before the replacement: it belongs to the new connection.
    if (this.#forwardTo) {
      this.#forwardTo(signal);
      return;
    }
    if ("candidates" in signal) {
      for (const candidate of signal.candidates) await this.addCandidate(candidate);
      return;
    }
    if ("candidate" in signal) {
      await this.addCandidate(signal.candidate);
      return;
    }
    const { description } = signal;
    if (this.options.staleSession && sessionId(description.sdp) === this.options.staleSession) return;
    const current = this.pc.remoteDescription;
    if (description.type === "offer" && current && sessionId(description.sdp) !== sessionId(current.sdp)) {
      // Not a renegotiation: the peer started a new connection to us.
      this.#broken = true;
      const replacement = this.options.onPeerRebuilt();
      this.#forwardTo = (data) => replacement.receive(data);
      replacement.receive(signal);
      return;
    }
    const decision = decideOnDescription(description.type, {
      polite: this.#polite,
      makingOffer: this.#makingOffer,
      signalingState: this.pc.signalingState,
      answerPending: this.#answerPending,
    });
    this.#ignoreOffer = decision.ignore;
    if (decision.ignore) return;
    // On a collision the polite side's setRemoteDescription rolls back its
    // own offer: if that has not gone out yet, it never will.
    if (decision.collision) this.#outbox.discard();
    this.#answerPending = description.type === "answer";
    if (RELAY_CANDIDATE.test(description.sdp ?? "")) this.#relayKnown = true;
    await this.pc.setRemoteDescription(description);
    this.#answerPending = false;
    for (const candidate of this.#earlyCandidates.splice(0)) await this.addCandidate(candidate);
    if (description.type === "offer") {
      this.#awaitingFirstOffer = false;
      // The answering side sends its media in its first answer: adding the
      // tracks now reuses the transceivers the offer created.
      this.#senders.addLocalTracks();
      await this.pc.setLocalDescription();
      this.#sendDescription();
    }
  }
}
