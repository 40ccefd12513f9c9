// A joined call: the signaling socket, one PeerLink and one tile per remote
// peer, presence kept in step with the room's peer-joined / peer-left.
import { CloseCode, type IceServer, type PeerInfo, type ServerMessage } from "../../../worker/protocol";
import { refreshDelayMs } from "../ice-refresh";
import type { IcePath } from "../ice-path";
import type { LocalMedia } from "../media";
import { PeerLink, type LinkState } from "../peer-link";
import { SignalingClient, roomSocketUrl } from "../signaling";
import { createTile, type Tile } from "./tiles";

export type CallEnd = "left" | "room-full" | "lost";

export interface CallView {
  grid: HTMLElement;
  /** Spoken by screen readers and shown as the status line. */
  announce(text: string): void;
  onJoined(self: PeerInfo): void;
  onEnd(reason: CallEnd): void;
}

interface Remote {
  info: PeerInfo;
  link: PeerLink;
  tile: Tile;
}

const STATE_WORDS: Record<LinkState, string> = {
  connecting: "connecting",
  connected: "connected",
  reconnecting: "reconnecting",
  failed: "connection failed",
  closed: "gone",
};

export class Call {
  private readonly remotes = new Map<string, Remote>();
  private readonly signaling: SignalingClient;
  private self: PeerInfo | null = null;
  /** From `welcome`: used for every peer connection of this call. */
  private iceServers: IceServer[] = [];
  private selfTile: Tile | null = null;
  private ended = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    room: string,
    name: string,
    private readonly media: LocalMedia,
    private readonly view: CallView,
    /** `?relay=1`: relay candidates only, to test or force TURN. */
    private readonly relayOnly = false,
  ) {
    this.signaling = new SignalingClient(roomSocketUrl(room, name), {
      onMessage: (message) => this.handle(message),
      onClose: ({ code, byUs }) => {
        if (byUs) return;
        this.end(code === CloseCode.roomFull ? "room-full" : "lost");
      },
    });
  }

  leave(): void {
    this.signaling.leave();
    this.end("left");
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case "welcome": {
        this.self = message.self;
        this.iceServers = message.iceServers;
        this.scheduleRefresh(message.iceServersExpireAt);
        this.selfTile = createTile({ peerId: message.self.id, name: message.self.name, self: true });
        if (this.media.kind === "camera") this.selfTile.setStream(this.media.stream);
        this.selfTile.setStatus(this.media.kind === "camera" ? "in the room" : "receive-only");
        this.view.grid.append(this.selfTile.root);
        this.view.onJoined(message.self);
        // We are the newcomer: we offer to everyone already here.
        for (const peer of message.peers) this.addRemote(peer, true);
        return;
      }
      case "peer-joined":
        this.addRemote(message.peer, false);
        this.view.announce(`${message.peer.name} joined`);
        return;
      case "peer-left": {
        const remote = this.remotes.get(message.peerId);
        if (!remote) return;
        this.dropRemote(remote);
        this.view.announce(`${remote.info.name} left`);
        return;
      }
      case "signal":
        this.remotes.get(message.from)?.link.receive(message.data);
        return;
      case "error":
        console.warn("tincan: the room says", message.code, message.message);
        return;
      case "pong":
        return;
      case "ice-servers":
        this.iceServers = message.iceServers;
        this.scheduleRefresh(message.iceServersExpireAt);
        for (const remote of this.remotes.values()) void remote.link.updateIceServers(message.iceServers);
        return;
      default: {
        // Exhaustive at compile time; a newer server's frame types are ignored.
        const unknown: never = message;
        void unknown;
      }
    }
  }

  /** Asks for fresh credentials before these expire; calls outlive any TTL. */
  private scheduleRefresh(expiresAt: number | null): void {
    clearTimeout(this.refreshTimer);
    const delay = refreshDelayMs(expiresAt, Date.now());
    if (delay === null) return;
    this.refreshTimer = setTimeout(() => this.signaling.send({ type: "ice-servers" }), delay);
  }

  private addRemote(info: PeerInfo, initiator: boolean): void {
    if (!this.self || this.remotes.has(info.id)) return;
    const tile = createTile({ peerId: info.id, name: info.name, self: false });
    const link = new PeerLink({
      selfId: this.self.id,
      remote: info,
      iceServers: this.iceServers,
      localStream: this.media.kind === "camera" ? this.media.stream : null,
      relayOnly: this.relayOnly,
      initiator,
      sendSignal: (data) => this.signaling.send({ type: "signal", to: info.id, data }),
      onRemoteStream: (stream) => tile.setStream(stream),
      onState: (state) => tile.setStatus(STATE_WORDS[state]),
      onPath: (path: IcePath) => {
        if (link.state() === "connected")
          tile.setStatus(path === "relayed" ? "connected, relayed" : "connected, direct");
      },
    });
    tile.setStatus(STATE_WORDS.connecting);
    this.remotes.set(info.id, { info, link, tile });
    this.view.grid.append(tile.root);
  }

  private dropRemote(remote: Remote): void {
    this.remotes.delete(remote.info.id);
    remote.link.close();
    remote.tile.remove();
  }

  private end(reason: CallEnd): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.refreshTimer);
    for (const remote of this.remotes.values()) this.dropRemote(remote);
    this.selfTile?.remove();
    this.view.onEnd(reason);
  }
}
