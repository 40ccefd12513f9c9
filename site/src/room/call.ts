// A joined call: the signaling socket, one PeerLink and one tile per remote
// peer, presence kept in step with the room. Losing the signaling socket
// does not end the call: media flows peer to peer, the socket reconnects
// and resumes, and the call re-syncs with the room's peer list.
import {
  assertNever,
  readPeerMessage,
  type IceServer,
  type PeerInfo,
  type PeerStateMessage,
  type ServerMessage,
  type WelcomeMessage,
} from "../../../protocol";
import { refreshDelayMs } from "../peer/ice-refresh";
import type { IcePath } from "../peer/ice-path";
import type { LocalMedia } from "../media";
import { PeerLink, type LinkState } from "../peer/peer-link";
import { senderPolicy } from "../peer/sender-policy";
import { SignalingClient, type RetryInfo, type SignalingEnd, type SignalingStatus } from "../net/signaling";
import { createTile, type Tile } from "./tiles";

export type CallEnd = SignalingEnd;

export interface CallView {
  grid: HTMLElement;
  /** Spoken by screen readers and shown as the status line. */
  announce(text: string): void;
  /** The signaling socket's state, with what is being tried when it is down. */
  onSignaling(status: SignalingStatus, retry: RetryInfo | null): void;
  onEnd(reason: CallEnd): void;
}

export interface Remote {
  info: PeerInfo;
  link: PeerLink;
  tile: Tile;
}

/** Told when a remote peer's connection is made or dropped (chat, files, stats hook in here). */
export type PeerListener = (event: "added" | "removed", remote: Remote) => void;
/** Told of every chat message a peer sends. */
export type ChatListener = (remote: Remote, text: string) => void;

export interface CallOptions {
  /** `?relay=1`: relay candidates only, to test or force TURN. */
  relayOnly: boolean;
  /** false (`?budget=off`, for the benchmark): video senders as the browser chooses. */
  senderBudgets: boolean;
}

function peerWords(state: LinkState, path: IcePath): string {
  switch (state) {
    case "connected":
      return path === "relayed" ? "connected, relayed" : path === "direct" ? "connected, direct" : "connected";
    case "reconnecting":
      return "reconnecting";
    case "failed":
      return "connection failed, retrying";
    case "closed":
      return "gone";
    case "connecting":
      return "connecting";
  }
}

export class Call {
  private readonly remotes = new Map<string, Remote>();
  private readonly signaling: SignalingClient;
  private self: PeerInfo | null = null;
  /** From the latest welcome or ice-servers: used for every peer connection. */
  private iceServers: IceServer[] = [];
  private readonly selfTile: Tile;
  private ended = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: PeerListener[] = [];
  private readonly chatListeners: ChatListener[] = [];

  constructor(
    room: string,
    name: string,
    private readonly media: LocalMedia,
    private readonly view: CallView,
    private readonly options: CallOptions = { relayOnly: false, senderBudgets: true },
  ) {
    this.selfTile = createTile({ peerId: "", name: name || "You", self: true });
    this.selfTile.setStream(media.stream);
    view.grid.append(this.selfTile.root);
    media.onTrack = (kind, track) => {
      // A screen share and a camera have budgets of their own: re-tune once every link has the new track.
      const swaps = [...this.remotes.values()].map(({ link }) => link.setTrack(kind, track));
      void Promise.allSettled(swaps).then(() => this.tuneSenders());
      this.publishState();
    };
    this.signaling = new SignalingClient(room, name, {
      onMessage: (message) => this.handle(message),
      onStatus: (status, retry) => this.showSignaling(status, retry),
      onEnd: (reason) => this.end(reason),
    });
  }

  onChat(listener: ChatListener): void {
    this.chatListeners.push(listener);
  }

  /**
   * Tells every peer our microphone, camera, screen and hand state. Called on
   * every change; each channel also gets it once when it opens.
   */
  publishState(): void {
    const frame = JSON.stringify(this.ownState());
    for (const { link } of this.remotes.values()) {
      if (link.channel.readyState === "open") link.channel.send(frame);
    }
  }

  private ownState(): PeerStateMessage {
    const media = this.media;
    return {
      kind: "state",
      mic: media.hasMic && media.micOn,
      camera: media.hasCamera && media.cameraOn && !media.sharing,
      screen: media.sharing,
      hand: false,
    } satisfies PeerStateMessage;
  }

  /** Every video sender at the budget for the room's size (a mesh uploads once per peer). */
  private tuneSenders(): void {
    const policy = this.options.senderBudgets ? senderPolicy(this.remotes.size) : null;
    const budget = policy ? (this.media.sharing ? policy.screen : policy.camera) : null;
    for (const { link } of this.remotes.values()) link.setVideoBudget(budget);
  }

  onPeer(listener: PeerListener): void {
    this.listeners.push(listener);
    for (const remote of this.remotes.values()) listener("added", remote);
  }

  peers(): Remote[] {
    return [...this.remotes.values()];
  }

  get localTile(): Tile {
    return this.selfTile;
  }

  leave(): void {
    this.signaling.leave();
  }

  private showSignaling(status: SignalingStatus, retry: RetryInfo | null): void {
    const words =
      status === "connected"
        ? this.media.problem
          ? "in the room, receive-only"
          : "in the room"
        : status === "connecting"
          ? "joining…"
          : "reconnecting to the room…";
    this.selfTile.setStatus(words);
    this.view.onSignaling(status, retry);
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        this.welcome(message);
        return;
      case "peer-joined":
        this.addRemote(message.peer, false);
        this.tuneSenders();
        this.view.announce(`${message.peer.name} joined`);
        return;
      case "peer-left": {
        const remote = this.remotes.get(message.peerId);
        if (!remote) return;
        this.dropRemote(remote);
        this.tuneSenders();
        this.view.announce(`${remote.info.name} left`);
        return;
      }
      case "signal":
        this.remotes.get(message.from)?.link.receive(message.data);
        return;
      case "ice-servers":
        this.useIceServers(message.iceServers, message.iceServersExpireAt);
        for (const remote of this.remotes.values()) void remote.link.updateIceServers(message.iceServers);
        return;
      case "error":
        console.warn("tincan: the room says", message.code, message.message);
        return;
      case "pong":
        return;
      default: {
        // Exhaustive at compile time; a newer server's frame types are ignored.
        const unknown: never = message;
        void unknown;
      }
    }
  }

  private welcome(message: WelcomeMessage): void {
    const first = this.self === null;
    const sameIdentity = message.resumed && this.self?.id === message.self.id;
    this.useIceServers(message.iceServers, message.iceServersExpireAt);
    if (!first && !sameIdentity) {
      // Our seat was given up (we were away too long): the others saw us
      // leave, so every connection starts over under the new identity.
      for (const remote of [...this.remotes.values()]) this.dropRemote(remote);
    }
    this.self = message.self;
    this.selfTile.root.dataset["peerId"] = message.self.id;
    this.selfTile.setName(`${message.self.name} (you)`);

    if (first || !sameIdentity) {
      this.view.announce(`You joined as ${message.self.name}`);
      // We are the newcomer: we offer to everyone already here.
      for (const peer of message.peers) this.addRemote(peer, true);
      this.tuneSenders();
      return;
    }

    // Resumed: same id, nobody noticed. Re-sync with the room's peer list.
    this.view.announce("Reconnected to the room");
    const present = new Set(message.peers.map((p) => p.id));
    for (const remote of [...this.remotes.values()]) {
      if (!present.has(remote.info.id)) this.dropRemote(remote);
    }
    for (const peer of message.peers) {
      const remote = this.remotes.get(peer.id);
      if (remote) {
        void remote.link.updateIceServers(this.iceServers);
        remote.link.resync();
      } else {
        // Joined while we were away: it has already offered to us, and the
        // room kept that offer for us.
        this.addRemote(peer, false);
      }
    }
    this.tuneSenders();
  }

  private useIceServers(iceServers: IceServer[], expiresAt: number | null): void {
    this.iceServers = iceServers;
    // Ask for fresh credentials before these expire: calls outlive any TTL.
    clearTimeout(this.refreshTimer);
    const delay = refreshDelayMs(expiresAt, Date.now());
    if (delay !== null) this.refreshTimer = setTimeout(() => this.signaling.send({ type: "ice-servers" }), delay);
  }

  private addRemote(info: PeerInfo, initiator: boolean): void {
    if (!this.self || this.remotes.has(info.id) || info.id === this.self.id) return;
    const tile = createTile({ peerId: info.id, name: info.name, self: false });
    let path: IcePath = "unknown";
    const link: PeerLink = new PeerLink({
      selfId: this.self.id,
      remote: info,
      iceServers: this.iceServers,
      localStream: this.media.stream,
      relayOnly: this.options.relayOnly,
      initiator,
      sendSignal: (data) => this.signaling.send({ type: "signal", to: info.id, data }),
      onRemoteStream: (stream) => tile.setStream(stream),
      onState: (state) => tile.setStatus(peerWords(state, path)),
      onPath: (found) => {
        path = found;
        tile.setStatus(peerWords(link.state(), path));
      },
    });
    tile.setStatus(peerWords("connecting", "unknown"));
    const remote: Remote = { info, link, tile };
    link.channel.addEventListener("open", () => {
      link.channel.send(JSON.stringify(this.ownState()));
    });
    link.channel.addEventListener("message", (event: MessageEvent) => this.onPeerMessage(remote, event.data));
    this.remotes.set(info.id, remote);
    this.view.grid.append(tile.root);
    for (const listener of this.listeners) listener("added", remote);
  }

  /** The one reader of a peer's `tincan` channel: each message is checked once, then routed. */
  private onPeerMessage(remote: Remote, data: unknown): void {
    const message = readPeerMessage(data);
    if (message === null) return; // not ours, or not well-formed: dropped
    switch (message.kind) {
      case "chat":
        for (const listener of this.chatListeners) listener(remote, message.text);
        return;
      case "state":
        remote.tile.setPeerState(message);
        return;
      default:
        assertNever(message);
    }
  }

  private dropRemote(remote: Remote): void {
    this.remotes.delete(remote.info.id);
    for (const listener of this.listeners) listener("removed", remote);
    remote.link.close();
    remote.tile.remove();
  }

  private end(reason: CallEnd): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.refreshTimer);
    for (const remote of [...this.remotes.values()]) this.dropRemote(remote);
    this.selfTile.remove();
    this.view.onEnd(reason);
  }
}
