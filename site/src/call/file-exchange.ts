// Files straight from one browser to another over the peers' file channel,
// with no DOM: the receiver accepts or declines each offer, the sender never
// queues more than a few MB (so a huge file costs flat memory), either side
// can cancel, and the receiver checks SHA-256 before it calls a file
// received. The room page's Files panel (room/files.ts) and the client
// library's Room both drive it and listen to it.
import {
  CHUNK_BYTES,
  HIGH_WATER_BYTES,
  LOW_WATER_BYTES,
  MAX_FILE_NAME_CHARS,
  MAX_MIME_CHARS,
  readFileControl,
  type FileControl,
} from "../../../protocol";
import { sha256Hex } from "./file-digest";
import type { FeaturePeer } from "./call";
import { Emitter } from "./emitter";

export type TransferState =
  | "waiting"
  | "offered"
  | "sending"
  | "receiving"
  | "checking"
  | "done"
  | "declined"
  | "cancelled"
  | "failed"
  | "interrupted";

/** Why a transfer ended other than done: said once, for the words. */
export type TransferEnd =
  | null
  /** The peer cancelled it. */
  | "peer-cancelled"
  /** The bytes that arrived did not match the sender's SHA-256 (or its size). */
  | "not-intact"
  /** The connection to the peer went while it was under way. */
  | "connection-lost";

export interface Transfer {
  readonly id: string;
  readonly direction: "out" | "in";
  readonly peer: FeaturePeer;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
  state: TransferState;
  bytes: number;
  /** performance.now() when the bytes started to move; 0 before. */
  startedAt: number;
  end: TransferEnd;
  /** A received file once checked (its MIME type is never the peer's claim). */
  blob: Blob | null;
}

interface Internal extends Transfer {
  file?: File | Blob | undefined;
  chunks?: ArrayBuffer[];
}

export type FileExchangeEvents = {
  /** A transfer appeared: one we send (queued), or one offered to us. */
  added: [Transfer];
  /** Its state or its byte count changed. */
  progress: [Transfer];
  /** Forgotten (remove(), or the end of the call). */
  removed: [Transfer];
};

const FINISHED: readonly TransferState[] = ["done", "declined", "cancelled", "failed", "interrupted"];

/** Whether a transfer is over (done or not): nothing more will happen to it. */
export function isFinished(transfer: { readonly state: TransferState }): boolean {
  return FINISHED.includes(transfer.state);
}

function newId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export class FileExchange extends Emitter<FileExchangeEvents> {
  readonly #transfers = new Map<string, Internal>();
  readonly #queues = new Map<string, Internal[]>();
  readonly #links = new Map<string, { remote: FeaturePeer; onMessage: (event: MessageEvent) => void }>();

  /** The peers files can go to now. */
  get peers(): FeaturePeer[] {
    return [...this.#links.values()].map((link) => link.remote);
  }

  attach(remote: FeaturePeer): void {
    const channel = remote.channel;
    channel.binaryType = "arraybuffer";
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    const onMessage = (event: MessageEvent) => {
      if (event.data instanceof ArrayBuffer) {
        this.#onChunk(remote, event.data);
        return;
      }
      const control = readFileControl(event.data);
      if (control) this.#onControl(remote, control);
    };
    channel.addEventListener("message", onMessage);
    this.#links.set(remote.id, { remote, onMessage });
  }

  detach(remote: FeaturePeer): void {
    const link = this.#links.get(remote.id);
    link?.remote.channel.removeEventListener("message", link.onMessage);
    this.#links.delete(remote.id);
    for (const transfer of this.#transfers.values()) {
      if (transfer.peer.id === remote.id && !isFinished(transfer)) {
        transfer.end = "connection-lost";
        this.#setState(transfer, "interrupted");
      }
    }
    this.#queues.delete(remote.id);
  }

  /** Offers `files` to one peer, or to everyone when `to` is null; files go one after another. Returns the new transfers. */
  send(files: (File | Blob)[], to: FeaturePeer | null): Transfer[] {
    const peers = to ? [to] : this.peers;
    const added: Transfer[] = [];
    for (const peer of peers) {
      for (const file of files) {
        const name = file instanceof File ? file.name : "";
        const transfer = this.#track({
          id: newId(),
          direction: "out",
          peer,
          // Within what a receiver accepts (it drops an offer out of bounds).
          name: name.slice(0, MAX_FILE_NAME_CHARS) || "file",
          size: file.size,
          mime: file.type.length <= MAX_MIME_CHARS ? file.type : "",
          state: "waiting",
          bytes: 0,
          startedAt: 0,
          end: null,
          blob: null,
          file,
        });
        added.push(transfer);
        const queue = this.#queues.get(peer.id) ?? [];
        queue.push(transfer);
        this.#queues.set(peer.id, queue);
      }
      this.#next(peer);
    }
    return added;
  }

  accept(id: string): void {
    const transfer = this.#transfers.get(id);
    if (transfer?.direction !== "in" || transfer.state !== "offered") return;
    this.#setState(transfer, "receiving");
    transfer.startedAt = performance.now();
    this.#control(transfer.peer, { kind: "accept", id: transfer.id });
  }

  decline(id: string): void {
    const transfer = this.#transfers.get(id);
    if (transfer?.direction !== "in" || transfer.state !== "offered") return;
    this.#setState(transfer, "declined");
    this.#control(transfer.peer, { kind: "decline", id: transfer.id });
  }

  cancel(id: string): void {
    const transfer = this.#transfers.get(id);
    if (!transfer || isFinished(transfer)) return;
    // A file still in our queue was never offered: the peer has nothing to forget.
    const peerKnows = transfer.state !== "waiting";
    this.#setState(transfer, "cancelled");
    transfer.chunks = [];
    if (peerKnows) this.#control(transfer.peer, { kind: "cancel", id: transfer.id });
    if (transfer.direction === "out") this.#next(transfer.peer);
  }

  /** Forgets a finished transfer (and a received file with it). */
  remove(id: string): void {
    const transfer = this.#transfers.get(id);
    if (!transfer || !isFinished(transfer)) return;
    this.#transfers.delete(id);
    this.emit("removed", transfer);
    transfer.blob = null;
  }

  /** The call ended: every transfer stops and is forgotten. */
  close(): void {
    for (const transfer of [...this.#transfers.values()]) {
      if (!isFinished(transfer)) this.#setState(transfer, "interrupted");
      transfer.chunks = [];
      this.remove(transfer.id);
    }
    this.#queues.clear();
  }

  #track(transfer: Internal): Internal {
    this.#transfers.set(transfer.id, transfer);
    this.emit("added", transfer);
    return transfer;
  }

  /** Starts the next queued file for `peer`, if none is under way. */
  #next(peer: FeaturePeer): void {
    // A file chosen while the channel still opens is offered once it is open, not lost.
    if (peer.channel.readyState === "connecting") {
      peer.channel.addEventListener("open", () => this.#next(peer), { once: true });
      return;
    }
    const queue = this.#queues.get(peer.id) ?? [];
    if (queue.some((t) => t.state === "offered" || t.state === "sending")) return;
    const transfer = queue.find((t) => t.state === "waiting");
    if (!transfer) return;
    this.#setState(transfer, "offered");
    this.#control(peer, {
      kind: "offer",
      id: transfer.id,
      name: transfer.name,
      size: transfer.size,
      mime: transfer.mime,
    });
  }

  #control(peer: FeaturePeer, control: FileControl): void {
    const channel = peer.channel;
    if (channel.readyState === "open") channel.send(JSON.stringify(control));
  }

  #onControl(peer: FeaturePeer, control: FileControl): void {
    const transfer = this.#transfers.get(control.id);
    switch (control.kind) {
      case "offer":
        if (transfer) return;
        this.#track({
          id: control.id,
          direction: "in",
          peer,
          name: control.name,
          size: control.size,
          mime: control.mime,
          state: "offered",
          bytes: 0,
          startedAt: 0,
          end: null,
          blob: null,
          chunks: [],
        });
        return;
      case "accept":
        if (transfer?.direction === "out" && transfer.state === "offered") void this.#stream(transfer);
        return;
      case "decline":
        if (transfer?.direction === "out" && transfer.state === "offered") {
          this.#setState(transfer, "declined");
          this.#next(peer);
        }
        return;
      case "cancel":
        if (transfer && transfer.peer.id === peer.id && !isFinished(transfer)) {
          transfer.end = "peer-cancelled";
          transfer.chunks = [];
          this.#setState(transfer, "cancelled");
          if (transfer.direction === "out") this.#next(peer);
        }
        return;
      case "end":
        if (transfer?.direction === "in" && transfer.state === "receiving") void this.#verify(transfer, control.sha256);
        return;
    }
  }

  #onChunk(peer: FeaturePeer, chunk: ArrayBuffer): void {
    let transfer: Internal | undefined;
    for (const t of this.#transfers.values()) {
      if (t.direction === "in" && t.state === "receiving" && t.peer.id === peer.id) transfer = t;
    }
    if (!transfer) return; // e.g. the tail of a transfer we cancelled
    transfer.chunks!.push(chunk);
    transfer.bytes += chunk.byteLength;
    if (transfer.bytes > transfer.size) {
      transfer.chunks = [];
      this.#setState(transfer, "failed");
      this.#control(peer, { kind: "cancel", id: transfer.id });
      return;
    }
    this.emit("progress", transfer);
  }

  async #stream(transfer: Internal): Promise<void> {
    const channel = transfer.peer.channel;
    const file = transfer.file!;
    this.#setState(transfer, "sending");
    transfer.startedAt = performance.now();
    // Hashing reads the file once up front; the receiver checks against it.
    const sha256Promise = sha256Hex(file);
    // Within what this connection's SCTP transport says it takes (every
    // browser takes 16 KiB; one that said less would get less).
    const maxMessage = transfer.peer.maxMessageSize;
    const chunkBytes = maxMessage ? Math.min(CHUNK_BYTES, maxMessage) : CHUNK_BYTES;
    try {
      for (let offset = 0; offset < file.size;) {
        if (transfer.state !== "sending") return;
        if (channel.readyState !== "open") throw new Error("channel closed");
        if (channel.bufferedAmount > HIGH_WATER_BYTES) {
          await new Promise<void>((resolve) =>
            channel.addEventListener("bufferedamountlow", () => resolve(), { once: true }),
          );
          continue;
        }
        const chunk = await file.slice(offset, offset + chunkBytes).arrayBuffer();
        if (transfer.state !== "sending") return;
        channel.send(chunk);
        offset += chunk.byteLength;
        transfer.bytes = offset;
        this.emit("progress", transfer);
      }
      this.#control(transfer.peer, { kind: "end", id: transfer.id, sha256: await sha256Promise });
      transfer.file = undefined;
      this.#setState(transfer, "done");
    } catch {
      if (transfer.state === "sending") this.#setState(transfer, "failed");
    }
    this.#next(transfer.peer);
  }

  async #verify(transfer: Internal, expected: string): Promise<void> {
    this.#setState(transfer, "checking");
    // Never the MIME type the peer claimed: a "text/html" blob opened on our
    // origin would run the peer's script. Bytes are bytes until saved.
    const blob = new Blob(transfer.chunks, { type: "application/octet-stream" });
    transfer.chunks = [];
    const intact = blob.size === transfer.size && (await sha256Hex(blob)) === expected;
    if (!intact) {
      transfer.end = "not-intact";
      this.#setState(transfer, "failed");
      return;
    }
    transfer.blob = blob;
    this.#setState(transfer, "done");
  }

  #setState(transfer: Internal, state: TransferState): void {
    transfer.state = state;
    this.emit("progress", transfer);
  }
}
