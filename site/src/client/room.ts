// A Tincan room for an app (and for Tincan's own room page): who is in it,
// what they publish, their streams, chat, files and the app's own messages,
// as a Map and a handful of typed events. A thin reading of the Call (which
// holds every fact once) plus the controls; no words, no DOM.
import type { IceServer, PeerInfo } from "../../../protocol";
import type { Call, CallEnd, PeerChannels } from "../call/call";
import type { MediaKind, SentMedia } from "../call/call-media";
import { Emitter } from "../call/emitter";
import { FileExchange, type Transfer, type TransferEnd, type TransferState } from "../call/file-exchange";
import { selfOf, type Person, type RoomFacts, type SignalingPhase } from "../call/state";
import type { IcePath } from "../peer/ice-path";
import type { LinkState } from "../peer/link-state";
import type { Details } from "../peer/stats-details";

/** A connection's numbers, read every second while watched. */
export type ConnectionDetails = Details;

/** A person in the room other than ourselves. */
export interface Peer {
  readonly id: string;
  readonly name: string;
  /** What we see and hear of them; null until their first track arrives. */
  readonly stream: MediaStream | null;
  readonly connection: LinkState;
  /** How the media travels, once known: straight between the two, or through a TURN relay. */
  readonly path: IcePath;
  /** Their published state; microphone and camera are null until they first say. */
  readonly mic: boolean | null;
  readonly camera: boolean | null;
  readonly screen: boolean;
  readonly hand: boolean;
  readonly speaking: boolean;
  /** Twelve digits both ends compute from this connection's fingerprints; null until known. */
  readonly safetyCode: string | null;
}

export interface SignalingStatus {
  phase: SignalingPhase;
  /** While reconnecting: the attempt (1 for the first) and when the next one starts (ms since epoch). */
  attempt: number;
  nextTryAt: number | null;
}

/** App data: anything JSON can carry, or bytes. */
export type AppData = unknown;

export type RoomEvents = {
  /** The room seated us: first, or under a new identity after our seat was given up (see `self`). */
  joined: [self: PeerInfo];
  /** The socket came back and the room had kept our seat: nobody noticed. */
  resumed: [];
  /** Any fact changed (people, their state, the lock, knocks, signaling): the whole of them, for views that render from one value. Also before the welcome. */
  change: [facts: RoomFacts];
  "peer-joined": [Peer];
  "peer-left": [Peer];
  /** A peer's MediaStream appeared, or a track was added to it. */
  stream: [Peer, MediaStream];
  /** A chat message from a peer (Tincan's own chat, which Tincan's page shows too). */
  chat: [text: string, from: Peer];
  /** App data from a peer, as it was sent (JSON parsed, bytes as an ArrayBuffer). */
  message: [data: AppData, from: Peer];
  /** A peer's published state (microphone, camera, screen, hand) changed. */
  state: [Peer];
  /** A peer's connection state or path changed. */
  connection: [Peer];
  /** The socket to the room dropped, is reconnecting, or is back. Calls go on meanwhile. */
  signaling: [SignalingStatus];
  /** Someone knocks at the locked room: admit(id) or deny(id). */
  knock: [PeerInfo];
  /** Our answer to a knock came too late: someone else answered, or the room is full. */
  "knock-refused": [code: "unknown-knock" | "room-full"];
  /** The room was locked or opened; `by` is the peer id of who did it (possibly ours). */
  locked: [{ locked: boolean; by: string | null }];
  /** No path to this peer: the networks block a direct call and the server has no relay. */
  blocked: [Peer];
  /** The connection's fingerprints changed, and with them the safety code: compare again. */
  "safety-code-changed": [Peer];
  /** We are out of the room, for good. */
  left: [reason: CallEnd];
  /** A peer offers us a file: acceptFile(id) or declineFile(id). */
  "file-offered": [FileTransfer];
  /** A transfer's state or byte count changed (either direction). */
  "file-progress": [FileTransfer];
  /** A file arrived whole and its SHA-256 matched the sender's. */
  "file-received": [FileTransfer, Blob];
  /** A transfer was forgotten (removeFile, or the room was left): let go of its Blob and anything made of it. */
  "file-removed": [FileTransfer];
};

/** A file on its way to or from a peer. */
export interface FileTransfer {
  readonly id: string;
  readonly direction: "out" | "in";
  readonly peerId: string;
  /** The peer's name, kept after they leave. */
  readonly peerName: string;
  readonly name: string;
  readonly size: number;
  /** What the sender said it is; a received file's Blob is application/octet-stream whatever it says. */
  readonly mime: string;
  readonly state: TransferState;
  /** Bytes sent or received so far. */
  readonly bytes: number;
  /** When bytes started to move (performance.now()), 0 before: with `bytes`, the speed. */
  readonly startedAt: number;
  /** Why it ended, when not done: the peer cancelled, the bytes did not check out, the connection went. */
  readonly end: TransferEnd;
}

function fileOf(t: Transfer): FileTransfer {
  return {
    id: t.id,
    direction: t.direction,
    peerId: t.peer.id,
    peerName: t.peer.name,
    name: t.name,
    size: t.size,
    mime: t.mime,
    state: t.state,
    bytes: t.bytes,
    startedAt: t.startedAt,
    end: t.end,
  };
}

export interface SendOptions {
  /** One peer's id; everyone when absent. */
  to?: string;
}

function peerOf(person: Person): Peer {
  return {
    id: person.id,
    name: person.name,
    stream: person.stream,
    connection: person.link ?? "connecting",
    path: person.path,
    mic: person.mic,
    camera: person.camera,
    screen: person.screen,
    hand: person.hand,
    speaking: person.speaking,
    safetyCode: person.safetyCode,
  };
}

export class Room extends Emitter<RoomEvents> {
  /** Everyone else in the room, by id, as of now. */
  readonly peers = new Map<string, Peer>();
  #welcomed = false;
  readonly #listening = new Map<string, { channel: RTCDataChannel; stop: () => void }>();
  readonly #files = new FileExchange();

  /** Use joinRoom() (or openRoom()); this is the shape they give. */
  constructor(
    private readonly call: Call,
    private readonly media: SentMedia,
  ) {
    super();
    call.state.subscribe((next, previous) => {
      this.#sync(next, previous);
      this.emit("change", next);
    });
    // Before the welcome the Map fills silently: joinRoom resolves with
    // everyone already there in it, and events tell of changes after that.
    call.on("joined", (self) => {
      this.#welcomed = true;
      this.emit("joined", self);
    });
    call.on("resumed", () => this.emit("resumed"));
    call.on("stream", (id, stream) => {
      const peer = this.peers.get(id);
      if (peer && this.#welcomed) this.emit("stream", peer, stream);
    });
    call.on("chat", (from, text) => this.#about(from.id, (peer) => this.emit("chat", text, peer)));
    call.on("blocked", (info) => this.#about(info.id, (peer) => this.emit("blocked", peer)));
    call.on("safety-code-changed", (info) => this.#about(info.id, (peer) => this.emit("safety-code-changed", peer)));
    call.on("peer", (event, channels) => this.#channel(event, channels));
    call.on("knock", (peer) => this.emit("knock", peer));
    call.on("knock-refused", (code) => this.emit("knock-refused", code));
    call.on("locked", (locked, by) => this.emit("locked", { locked, by }));
    call.on("end", (reason) => {
      this.#files.close();
      this.emit("left", reason);
    });
    this.#files.on("added", (t) => {
      if (t.direction === "in") this.emit("file-offered", fileOf(t));
      else this.emit("file-progress", fileOf(t));
    });
    this.#files.on("progress", (t) => {
      this.emit("file-progress", fileOf(t));
      if (t.state === "done" && t.blob) this.emit("file-received", fileOf(t), t.blob);
    });
    this.#files.on("removed", (t) => this.emit("file-removed", fileOf(t)));
  }

  /** Ourselves as the room knows us (id "" until the welcome). */
  get self(): { id: string; name: string } {
    const self = this.call.self;
    return { id: self?.id ?? "", name: self?.name ?? "" };
  }

  /** Every fact of the room as of now: people (ourselves first), the lock, knocks, the socket, whether we wait at a lock. */
  get facts(): RoomFacts {
    return this.call.state.get();
  }

  /** Whether the room is locked now, and by whom. */
  get lockState(): { locked: boolean; by: string | null } {
    return this.facts.lock;
  }

  /**
   * App data to everyone, or to one peer (`to`): JSON-able values as text,
   * ArrayBuffer or typed arrays as bytes. Ordered and reliable, on a channel
   * of the app's own. Returns the ids it went to; peers whose channel is not
   * open yet are skipped (they are not connected).
   */
  send(data: AppData, options: SendOptions = {}): string[] {
    const bytes = data instanceof ArrayBuffer || ArrayBuffer.isView(data);
    const text = bytes ? null : JSON.stringify(data);
    if (text === undefined) throw new TypeError("send() takes JSON-able values or bytes");
    const sentTo: string[] = [];
    for (const [id, { channel }] of this.#listening) {
      if (options.to !== undefined && options.to !== id) continue;
      if (channel.readyState !== "open") continue;
      if (text !== null) channel.send(text);
      else if (data instanceof ArrayBuffer) channel.send(data);
      else channel.send(data as ArrayBufferView<ArrayBuffer>);
      sentTo.push(id);
    }
    return sentTo;
  }

  /** A chat message to everyone (peers still connecting get it when they connect); returns it as sent, or null if empty. */
  chat(text: string): string | null {
    return this.call.sendChat(text);
  }

  setMicrophone(on: boolean): void {
    this.media.setMic(on);
  }

  setCamera(on: boolean): void {
    this.media.setCamera(on);
  }

  /** Sends another track of a kind (another camera or microphone), or none (null). */
  replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    this.media.replaceTrack(kind, track);
  }

  /** Sends another stream's first audio and video tracks instead (null: send nothing, stay in the call). */
  setMedia(stream: MediaStream | null): void {
    this.replaceTrack("audio", stream?.getAudioTracks()[0] ?? null);
    this.replaceTrack("video", stream?.getVideoTracks()[0] ?? null);
  }

  /** Shares a screen track (from getDisplayMedia) in the camera's place; null stops sharing. */
  shareScreen(track: MediaStreamTrack | null): void {
    if (track) this.media.shareScreen(track);
    else this.media.stopScreen();
  }

  raiseHand(raised: boolean): void {
    if (raised === selfOf(this.facts).hand) return;
    this.call.setHand(raised);
  }

  lock(): void {
    this.call.setLocked(true);
  }

  unlock(): void {
    this.call.setLocked(false);
  }

  admit(peerId: string): void {
    this.call.answerKnock(peerId, true);
  }

  deny(peerId: string): void {
    this.call.answerKnock(peerId, false);
  }

  /** The safety code of our connection with a peer, to compare over the call; null until connected. */
  safetyCode(peerId: string): string | null {
    return this.peers.get(peerId)?.safetyCode ?? null;
  }

  /** Marks a peer's safety code as compared over the call (or not); a new code clears the mark. Kept in `facts`. */
  setVerified(peerId: string, verified: boolean): void {
    this.call.setVerified(peerId, verified);
  }

  /** Reports a peer's connection (path, round trip, bitrates) every second until stopped; null for no such peer. */
  watchDetails(peerId: string, report: (details: ConnectionDetails | null) => void): (() => void) | null {
    return this.call.watchDetails(peerId, report);
  }

  /** The STUN and TURN servers the room gave us (a connection check can gather with them). */
  iceServers(): IceServer[] {
    return this.call.currentIceServers();
  }

  /**
   * Offers a file (or any Blob), or several, to one peer or to everyone: each
   * receiver accepts or declines; the bytes go in order, one file per peer
   * at a time, with flat memory on the sender's side. Returns the transfers' ids.
   */
  sendFile(files: Blob | Blob[], options: SendOptions = {}): string[] {
    const to = options.to === undefined ? null : this.#files.peers.find((p) => p.id === options.to);
    if (to === undefined) return [];
    return this.#files.send(Array.isArray(files) ? files : [files], to).map((t) => t.id);
  }

  acceptFile(id: string): void {
    this.#files.accept(id);
  }

  declineFile(id: string): void {
    this.#files.decline(id);
  }

  /** Stops a transfer either way; the peer is told. */
  cancelFile(id: string): void {
    this.#files.cancel(id);
  }

  /** Forgets a finished transfer (and lets a received Blob go). */
  removeFile(id: string): void {
    this.#files.remove(id);
  }

  /** Leaves for good; the others learn at once. `left` follows with "left". */
  leave(): void {
    this.call.leave();
  }

  /** An event about a peer, told with its Peer (the call adds a person to the facts before anything can come from them). */
  #about(id: string, tell: (peer: Peer) => void): void {
    const peer = this.peers.get(id);
    if (peer) tell(peer);
  }

  #channel(event: "added" | "removed" | "replaced", channels: PeerChannels): void {
    this.#listening.get(channels.id)?.stop();
    this.#listening.delete(channels.id);
    const filePeer = { id: channels.id, name: channels.name, channel: channels.files };
    if (event !== "added") {
      this.#files.detach(filePeer);
      return;
    }
    this.#files.attach(
      channels.maxMessageSize === undefined ? filePeer : { ...filePeer, maxMessageSize: channels.maxMessageSize },
    );
    const channel = channels.app;
    const onMessage = (event: MessageEvent) => {
      const peer = this.peers.get(channels.id);
      const data = readAppData(event.data);
      if (peer && data !== undefined) this.emit("message", data.value, peer);
    };
    channel.addEventListener("message", onMessage);
    this.#listening.set(channels.id, { channel, stop: () => channel.removeEventListener("message", onMessage) });
  }

  /**
   * The peers Map follows the call's people; events once welcomed (those
   * present at join are in the Map) and until we leave (the Map empties
   * then, but nobody left: `left` says what happened).
   */
  #sync(next: RoomFacts, previous: RoomFacts): void {
    const tell = this.#welcomed && !this.call.ended;
    const before = new Map(previous.people.filter((p) => !p.self).map((p) => [p.id, p]));
    const seen = new Set<string>();
    for (const person of next.people) {
      if (person.self) continue;
      seen.add(person.id);
      const old = before.get(person.id);
      if (old === person) continue;
      const peer = peerOf(person);
      const known = this.peers.has(person.id);
      this.peers.set(person.id, peer);
      if (!tell) continue;
      if (!known) {
        this.emit("peer-joined", peer);
        continue;
      }
      if (!old) continue;
      if (
        old.mic !== person.mic ||
        old.camera !== person.camera ||
        old.screen !== person.screen ||
        old.hand !== person.hand
      ) {
        this.emit("state", peer);
      }
      if (old.link !== person.link || old.path !== person.path) this.emit("connection", peer);
    }
    for (const [id, peer] of this.peers) {
      if (seen.has(id)) continue;
      this.peers.delete(id);
      if (tell) this.emit("peer-left", peer);
    }
    if (tell && next.signaling.phase !== previous.signaling.phase) this.emit("signaling", { ...next.signaling });
  }
}

/** App data as sent, or undefined for text that is not JSON (dropped: not from a Tincan client). */
function readAppData(raw: unknown): { value: AppData } | undefined {
  if (raw instanceof ArrayBuffer) return { value: raw };
  if (typeof raw !== "string") return undefined;
  try {
    return { value: JSON.parse(raw) as AppData };
  } catch {
    return undefined;
  }
}
