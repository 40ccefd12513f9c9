// A joined call, DOM-free and without words: the signaling socket, one
// PeerLink per remote peer, presence kept in step with the room, and the
// call's facts in one Store (`state`). Losing the signaling socket does not
// end the call: media flows peer to peer, the socket reconnects and resumes,
// and the call re-syncs with the room's peer list. The `tincan` channel
// (state and chat) is read and written here alone; features (files, an
// app's messages) get their own data channels and nothing else. What
// happens is said as typed events; the views (or an app) choose the words.
import {
  assertNever,
  MAX_CHAT_CHARS,
  readPeerMessage,
  type ChatMessage,
  type IceServer,
  type PeerInfo,
  type PeerStateMessage,
  type ServerMessage,
  type WelcomeMessage,
} from "../../../protocol";
import { newAddressesKnown } from "../net/local-addresses";
import { browserNetwork } from "../net/browser-network";
import { watchNetwork } from "../net/network-watch";
import { SignalingClient, type SignalingEnd, type WebSocketConstructor } from "../net/signaling";
import { refreshDelayMs } from "../peer/ice-refresh";
import { PeerLink } from "../peer/peer-link";
import { sessionId } from "../peer/sdp-facts";
import { fingerprint, safetyCode } from "../peer/safety-code";
import { senderPolicy } from "../peer/sender-policy";
import { watchDetails } from "./connection-details";
import type { Details } from "../peer/stats-details";
import { Emitter } from "./emitter";
import { SpeakingMeter } from "./speaking";
import type { CallMedia } from "./call-media";
import { initialFacts, selfOf, withPerson, type Person, type RoomFacts } from "./state";
import { Store } from "./store";
import { WaitingFrames } from "./waiting-frames";

export type CallEnd = SignalingEnd;

/** What a feature gets of a peer: who it is and one data channel. */
export interface FeaturePeer {
  id: string;
  name: string;
  channel: RTCDataChannel;
  /** What the connection's SCTP transport takes in one message, where it says. */
  maxMessageSize?: number;
}

/** A remote peer's data channels, for the features to take theirs from. */
export interface PeerChannels {
  id: string;
  name: string;
  files: RTCDataChannel;
  /** The app's own channel (the client library's `room.send`). */
  app: RTCDataChannel;
  maxMessageSize?: number;
}

export type CallEvents = {
  /**
   * A remote peer's connection was made or dropped: `replaced` when a new
   * connection to the same person follows at once (an `added` comes next).
   */
  peer: ["added" | "removed" | "replaced", PeerChannels];
  chat: [from: PeerInfo, text: string];
  /** A peer's MediaStream appeared, or a track was added to it. */
  stream: [peerId: string, stream: MediaStream];
  /** The room seated us (first, or under a new identity after our seat was given up). */
  joined: [self: PeerInfo];
  /** The socket came back and the room kept our seat: nobody noticed. */
  resumed: [];
  "peer-joined": [PeerInfo];
  "peer-left": [PeerInfo];
  /** No path to this peer: direct is blocked and there is no relay. */
  blocked: [PeerInfo];
  /** The room was locked or opened; `by` is a peer id (ours too), null when unknown. */
  locked: [locked: boolean, by: string | null];
  /** The connection's fingerprints changed, and with them the safety code. */
  "safety-code-changed": [PeerInfo];
  /** Our answer to a knock came too late: someone else answered, or the room is full. */
  "knock-refused": [code: "unknown-knock" | "room-full"];
  /** Someone knocks at the locked room. */
  knock: [PeerInfo];
  end: [CallEnd];
};

export interface CallOptions {
  /** The Tincan server's address (the page passes its own). */
  server: string;
  room: string;
  /** The name we ask for; the room may change it (it says so in `welcome`). */
  name: string;
  media: CallMedia;
  /** Relay candidates only (`?relay=1`), to test or force TURN. */
  relayOnly?: boolean;
  /** false (`?budget=off`, for the benchmark): video senders as the browser chooses. */
  senderBudgets?: boolean;
  /** Injection points, for tests and for runtimes without these globals. */
  WebSocket?: WebSocketConstructor;
  RTCPeerConnection?: typeof RTCPeerConnection;
}

interface Remote {
  info: PeerInfo;
  link: PeerLink;
}

/**
 * Audio analysis of our own microphone starts this long after joining:
 * joining and the first connections come first (starting an AudioContext
 * costs the page tens of milliseconds just when a newcomer's offer arrives).
 */
const SELF_METER_DELAY_MS = 3_000;

export class Call extends Emitter<CallEvents> {
  /** The call's facts: people (ourselves first), the socket, the lock, knocks. */
  readonly state: Store<RoomFacts>;
  readonly #remotes = new Map<string, Remote>();
  readonly #signaling: SignalingClient;
  readonly #speaking = new SpeakingMeter();
  #self: PeerInfo | null = null;
  /** From the latest welcome or ice-servers: used for every peer connection. */
  #iceServers: IceServer[] = [];
  #ended = false;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #meterTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #waiting = new WaitingFrames();
  readonly #stops: (() => void)[] = [];
  /** Our network changed and the browser knows the new one: every connection restarts ICE once the room has us back. */
  #restartOnWelcome = false;
  /** Counts network changes, so a later one supersedes an earlier one still settling. */
  #networkChanges = 0;
  /** A network change is settling: the connections leave their restarts to us until then. */
  #settling = false;
  /** The page's one DTLS certificate (made while the socket connects), so a replaced connection keeps its safety code. */
  #certificate: RTCCertificate | undefined;

  readonly media: CallMedia;
  readonly #PeerConnection: typeof RTCPeerConnection;

  constructor(private readonly options: CallOptions) {
    super();
    const { media } = options;
    this.media = media;
    this.#PeerConnection = options.RTCPeerConnection ?? RTCPeerConnection;
    this.state = new Store(
      initialFacts({
        id: "",
        name: options.name,
        self: true,
        stream: media.stream,
        mic: media.hasMic && media.micOn,
        camera: media.hasCamera && media.cameraOn,
        screen: false,
        hand: false,
        speaking: false,
        link: null,
        path: "unknown",
        safetyCode: null,
        verified: false,
      }),
    );
    this.#signaling = new SignalingClient(options, {
      onMessage: (message) => this.#handle(message),
      onStatus: (phase, retry) =>
        this.state.update((s) => ({
          ...s,
          signaling: { phase, nextTryAt: retry?.nextAt ?? null, attempt: retry?.attempt ?? 0 },
        })),
      onEnd: (reason) => this.#end(reason),
    });
    this.#stops.push(
      media.on("track", (kind, track) => {
        // A screen share and a camera have budgets of their own: re-tune once every link has the new track.
        const swaps = [...this.#remotes.values()].map(({ link }) => link.setTrack(kind, track));
        void Promise.allSettled(swaps).then(() => this.#tuneSenders());
      }),
      media.on("change", () => this.#ownStateChanged()),
      watchNetwork(() => this.#networkChanged(), browserNetwork()),
    );
    void this.#PeerConnection
      .generateCertificate({ name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams)
      .then((certificate) => (this.#certificate = certificate))
      .catch(() => {});
    this.#meterTimer = setTimeout(() => {
      this.#speaking.watch("self", media.stream, (speaking) => this.#updateSelf({ speaking }));
    }, SELF_METER_DELAY_MS);
  }

  /**
   * The page's own network changed (another interface, another address):
   * the socket is replaced at once, and every connection restarts ICE as soon
   * as the room has us back. We lead the restart because only we know; the
   * others answer.
   */
  #networkChanged(): void {
    if (this.#ended || this.#self === null) return;
    const change = ++this.#networkChanges;
    const superseded = () => change !== this.#networkChanges || this.#ended;
    this.#settling = true;
    this.#signaling.reconnectNow();
    // A restart before the browser's WebRTC stack has the new interface
    // gathers nothing usable (./local-addresses): wait for it, then restart.
    void newAddressesKnown(superseded).then(() => {
      if (superseded()) return;
      this.#settling = false;
      this.#restartOnWelcome = true;
      if (this.state.get().signaling.phase === "connected") this.#restartAll();
    });
  }

  #restartAll(): void {
    this.#restartOnWelcome = false;
    for (const { link } of this.#remotes.values()) void link.restart();
  }

  /** Leave for good: the others learn at once. */
  leave(): void {
    this.#signaling.leave();
  }

  /** Raise or lower our hand; everyone sees it. */
  setHand(raised: boolean): void {
    this.#updateSelf({ hand: raised });
    this.#ownStateChanged();
  }

  /**
   * A chat message to everyone in the call, over each peer's `tincan`
   * channel (the server never sees it); a peer still connecting gets it once
   * its channel opens. Returns the text as sent (trimmed, cut to the limit),
   * or null when there was nothing to send.
   */
  sendChat(raw: string): string | null {
    const text = raw.trim().slice(0, MAX_CHAT_CHARS);
    if (text === "") return null;
    const frame = JSON.stringify({ kind: "chat", text } satisfies ChatMessage);
    for (const [id, { link }] of this.#remotes) this.#waiting.send(id, link.channel, frame);
    return text;
  }

  /** Lock the room (newcomers knock) or open it (the waiting come in). */
  setLocked(locked: boolean): void {
    this.#signaling.send({ type: "lock", locked });
  }

  /** Answer a knock; the room tells everyone how it ended. */
  answerKnock(peerId: string, admit: boolean): void {
    this.#signaling.send({ type: admit ? "admit" : "deny", peerId });
  }

  /** Out of the room for good (`end` was said, or is being said). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Ourselves as the room knows us; null until the first welcome. */
  get self(): PeerInfo | null {
    return this.#self;
  }

  /** Marks a peer's safety code as compared (or not); a new code clears it. */
  setVerified(peerId: string, verified: boolean): void {
    this.#update(peerId, { verified });
  }

  /** The ICE servers the room gave us (for the connection check during a call). */
  currentIceServers(): IceServer[] {
    return this.#iceServers;
  }

  /** Reports a remote peer's connection details every second; returns how to stop, or null for no such peer. */
  watchDetails(id: string, report: (details: Details | null) => void): (() => void) | null {
    const remote = this.#remotes.get(id);
    return remote ? watchDetails(remote.link.pc, report) : null;
  }

  /** What we publish: the media's facts as the media holds them, the hand as the facts hold it. */
  #ownState(): PeerStateMessage {
    const media = this.media;
    return {
      kind: "state",
      mic: media.hasMic && media.micOn,
      camera: media.hasCamera && media.cameraOn && !media.sharing,
      screen: media.sharing,
      hand: selfOf(this.state.get()).hand,
    } satisfies PeerStateMessage;
  }

  /** Our own state, into the store and to every peer (on every change; once per channel when it opens). */
  #ownStateChanged(): void {
    const state = this.#ownState();
    const { mic, camera, screen } = state;
    this.#updateSelf({ mic, camera, screen });
    const frame = JSON.stringify(state);
    for (const { link } of this.#remotes.values()) {
      if (link.channel.readyState === "open") link.channel.send(frame);
    }
  }

  #updateSelf(change: Partial<Person>): void {
    this.state.update((s) => ({ ...s, people: s.people.map((p) => (p.self ? { ...p, ...change } : p)) }));
  }

  #update(peerId: string, change: Partial<Person>): void {
    this.state.update((s) => withPerson(s, peerId, change));
  }

  /** Every video sender at the budget for the room's size (a mesh uploads once per peer). */
  #tuneSenders(): void {
    const policy = this.options.senderBudgets !== false ? senderPolicy(this.#remotes.size) : null;
    const budget = policy ? (this.media.sharing ? policy.screen : policy.camera) : null;
    for (const { link } of this.#remotes.values()) link.setVideoBudget(budget);
  }

  #handle(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        this.#welcome(message);
        return;
      case "peer-joined":
        this.#addRemote(message.peer, false);
        this.#tuneSenders();
        this.emit("peer-joined", message.peer);
        return;
      case "peer-left": {
        const remote = this.#remotes.get(message.peerId);
        if (!remote) return;
        this.#dropRemote(remote);
        this.#tuneSenders();
        this.emit("peer-left", remote.info);
        return;
      }
      case "signal":
        this.#remotes.get(message.from)?.link.receive(message.data);
        return;
      case "ice-servers":
        this.#useIceServers(message.iceServers, message.iceServersExpireAt);
        for (const remote of this.#remotes.values()) void remote.link.updateIceServers(message.iceServers);
        return;
      case "error":
        // Someone else answered first, or the room has no seat for them yet.
        if (message.code === "unknown-knock") this.emit("knock-refused", "unknown-knock");
        else if (message.code === "room-full" && message.peerId) this.emit("knock-refused", "room-full");
        else console.warn("tincan: the room says", message.code, message.message);
        return;
      case "pong":
        return;
      case "peer-resumed":
        this.#remotes.get(message.peerId)?.link.peerReconnected();
        return;
      case "room":
        this.state.update((s) => ({ ...s, lock: { locked: message.locked, by: message.by } }));
        this.emit("locked", message.locked, message.by);
        return;
      case "lobby":
        this.state.update((s) => ({ ...s, waiting: true }));
        return;
      case "knock":
        this.state.update((s) => ({
          ...s,
          knocks: [...s.knocks.filter((k) => k.id !== message.peer.id), message.peer],
        }));
        this.emit("knock", message.peer);
        return;
      case "knock-ended":
        this.state.update((s) => ({ ...s, knocks: s.knocks.filter((k) => k.id !== message.peerId) }));
        return;
      default: {
        // Exhaustive at compile time; a newer server's frame types are ignored.
        const unknown: never = message;
        void unknown;
      }
    }
  }

  #welcome(message: WelcomeMessage): void {
    const first = this.#self === null;
    const sameIdentity = message.resumed && this.#self?.id === message.self.id;
    this.#useIceServers(message.iceServers, message.iceServersExpireAt);
    if (!first && !sameIdentity) {
      // Our seat was given up (we were away too long): the others saw us
      // leave, so every connection starts over under the new identity.
      for (const remote of [...this.#remotes.values()]) this.#dropRemote(remote);
    }
    this.#self = message.self;
    this.#updateSelf({ id: message.self.id, name: message.self.name });
    // Knocks still waiting follow this welcome one by one.
    this.state.update((s) => ({
      ...s,
      waiting: false,
      knocks: [],
      // An older server says nothing of a lock: its rooms are open.
      lock: { locked: message.locked === true, by: message.lockedBy ?? null },
    }));

    if (first || !sameIdentity) {
      // We are the newcomer: we offer to everyone already here. They are in
      // the facts before `joined` is said: who was here is not news of who came.
      for (const peer of message.peers) this.#addRemote(peer, true);
      this.#tuneSenders();
      this.emit("joined", message.self);
      return;
    }

    // Resumed: same id, nobody noticed. Re-sync with the room's peer list.
    const restartAll = this.#restartOnWelcome;
    this.emit("resumed");
    const present = new Set(message.peers.map((p) => p.id));
    for (const remote of [...this.#remotes.values()]) {
      if (!present.has(remote.info.id)) this.#dropRemote(remote);
    }
    for (const peer of message.peers) {
      const remote = this.#remotes.get(peer.id);
      if (remote) {
        void remote.link.updateIceServers(this.#iceServers);
        if (!restartAll) remote.link.resync();
      } else {
        // Joined while we were away: it has already offered to us, and the
        // room kept that offer for us.
        this.#addRemote(peer, false);
      }
    }
    if (restartAll) this.#restartAll();
    this.#tuneSenders();
  }

  #useIceServers(iceServers: IceServer[], expiresAt: number | null): void {
    this.#iceServers = iceServers;
    // Ask for fresh credentials before these expire: calls outlive any TTL.
    clearTimeout(this.#refreshTimer);
    const delay = refreshDelayMs(expiresAt, Date.now());
    if (delay !== null) this.#refreshTimer = setTimeout(() => this.#signaling.send({ type: "ice-servers" }), delay);
  }

  #addRemote(info: PeerInfo, initiator: boolean): void {
    if (!this.#self || this.#remotes.has(info.id) || info.id === this.#self.id) return;
    const person: Person = {
      id: info.id,
      name: info.name,
      self: false,
      stream: null,
      // Not known until it says: its first `state` follows its channel's opening.
      mic: null,
      camera: null,
      screen: false,
      hand: false,
      speaking: false,
      link: "connecting",
      path: "unknown",
      safetyCode: null,
      verified: false,
    };
    this.state.update((s) => ({ ...s, people: [...s.people, person] }));
    this.#connect(info, initiator);
  }

  /** A connection to `info`, wired into the call: a person's first, or one that replaces a broken one. */
  #connect(info: PeerInfo, initiator: boolean, staleSession: string | null = null): PeerLink {
    const update = (change: Partial<Person>) => this.#update(info.id, change);
    const link: PeerLink = new PeerLink({
      RTCPeerConnection: this.#PeerConnection,
      selfId: this.#self!.id,
      remote: info,
      iceServers: this.#iceServers,
      localStream: this.media.stream,
      relayOnly: this.options.relayOnly === true,
      initiator,
      certificate: this.#certificate,
      staleSession,
      sendSignal: (data) => this.#signaling.send({ type: "signal", to: info.id, data }),
      onRemoteStream: (stream) => {
        update({ stream });
        this.emit("stream", info.id, stream);
      },
      onState: (state) => {
        const before = this.state.get().people.find((p) => p.id === info.id)?.link;
        update({ link: state });
        if (state === "blocked" && before !== "blocked") this.emit("blocked", info);
      },
      onPath: (path) => update({ path }),
      onPathLost: () => this.#signaling.probe(),
      restartsHeld: () => this.#settling,
      onBroken: () => void this.#replaceLink(info, true),
      onPeerRebuilt: () => this.#replaceLink(info, false),
    });
    this.#remotes.set(info.id, { info, link });
    link.channel.addEventListener("open", () => {
      link.channel.send(JSON.stringify(this.#ownState()));
      if (this.#remotes.get(info.id)?.link === link) this.#waiting.flush(info.id, link.channel);
    });
    link.channel.addEventListener("message", (event: MessageEvent) => this.#onPeerMessage(info, event.data));
    this.#speaking.watchConnection(info.id, link.pc, (speaking) => update({ speaking }));
    this.#watchSafetyCode(info, link.pc, update);
    this.emit("peer", "added", this.#channels(info, link));
    return link;
  }

  /**
   * A connection that cannot come back is replaced by a new one to the same
   * person, who stays on the page throughout: `initiator` when ours broke
   * (we offer the new one), not when the peer's new offer asked for it.
   * Transfers on the old data channels stop, and say so.
   */
  #replaceLink(info: PeerInfo, initiator: boolean): PeerLink {
    const old = this.#remotes.get(info.id);
    const staleSession = sessionId(old?.link.pc.remoteDescription?.sdp);
    if (old) {
      this.#speaking.unwatch(info.id);
      this.emit("peer", "replaced", this.#channels(info, old.link));
      old.link.close(true);
    }
    const link = this.#connect(info, initiator, staleSession);
    this.#tuneSenders();
    return link;
  }

  /**
   * Every negotiation that settles may carry new fingerprints (a peer that
   * renewed its certificate, or a server that swapped one in): the code
   * follows them, and a Verified mark given to the old code no longer holds.
   */
  #watchSafetyCode(info: PeerInfo, pc: RTCPeerConnection, update: (change: Partial<Person>) => void): void {
    let pair = "";
    pc.addEventListener("signalingstatechange", async () => {
      const local = fingerprint(pc.localDescription?.sdp);
      const remote = fingerprint(pc.remoteDescription?.sdp);
      if (pc.signalingState !== "stable" || !local || !remote || pair === local + remote) return;
      const first = !pair;
      const mine = (pair = local + remote);
      const code = await safetyCode(local, remote);
      // A later negotiation overtook this digest: its own code is the one to show.
      if (pair !== mine) return;
      // A replaced connection with the same certificates keeps its code, and the Verified mark given to it.
      const shown = this.state.get().people.find((p) => p.id === info.id)?.safetyCode;
      if (first && shown === code) return;
      update({ safetyCode: code, verified: false });
      if (!first) this.emit("safety-code-changed", info);
    });
  }

  #channels(info: PeerInfo, link: PeerLink): PeerChannels {
    const max = link.pc.sctp?.maxMessageSize;
    return {
      id: info.id,
      name: info.name,
      files: link.fileChannel,
      app: link.appChannel,
      ...(max ? { maxMessageSize: max } : {}),
    };
  }

  /** The one reader of a peer's `tincan` channel: each message is checked once, then routed. */
  #onPeerMessage(info: PeerInfo, data: unknown): void {
    const message = readPeerMessage(data);
    if (message === null) return; // not ours, or not well-formed: dropped
    switch (message.kind) {
      case "chat":
        this.emit("chat", info, message.text);
        return;
      case "state": {
        const { mic, camera, screen, hand } = message;
        this.#update(info.id, { mic, camera, screen, hand });
        return;
      }
      default:
        assertNever(message);
    }
  }

  #dropRemote(remote: Remote): void {
    const id = remote.info.id;
    this.#remotes.delete(id);
    this.#waiting.forget(id);
    this.#speaking.unwatch(id);
    this.emit("peer", "removed", this.#channels(remote.info, remote.link));
    remote.link.close();
    this.state.update((s) => ({ ...s, people: s.people.filter((p) => p.id !== id) }));
  }

  #end(reason: CallEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#meterTimer);
    this.#speaking.stop();
    for (const remote of [...this.#remotes.values()]) this.#dropRemote(remote);
    for (const stop of this.#stops) stop();
    this.emit("end", reason);
  }
}
