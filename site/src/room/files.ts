// Files straight from one browser to another over the peers' data channel:
// the receiver accepts or declines each offer, the sender never queues more
// than a few MB (so a huge file costs flat memory), either side can cancel,
// and the receiver checks SHA-256 before offering the download.
import { el } from "../dom";
import type { FeaturePeer } from "../call/call";
import {
  CHUNK_BYTES,
  HIGH_WATER_BYTES,
  LOW_WATER_BYTES,
  MAX_FILE_NAME_CHARS,
  MAX_MIME_CHARS,
  readFileControl,
  type FileControl,
} from "../../../protocol";
import { formatBytes, sha256Hex } from "./file-bytes";

type State =
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

interface Transfer {
  id: string;
  direction: "out" | "in";
  peer: FeaturePeer;
  name: string;
  size: number;
  mime: string;
  state: State;
  bytes: number;
  startedAt: number;
  file?: File;
  chunks?: ArrayBuffer[];
  /** A received file's object URL: it holds the file in memory until revoked. */
  url?: string | undefined;
  view: TransferView;
}

interface TransferView {
  root: HTMLElement;
  update(transfer: Transfer): void;
}

/** Progress for tests and assistive tech alike: a DOM event per change. */
export interface FileProgressDetail {
  id: string;
  direction: "out" | "in";
  bytes: number;
  size: number;
  state: State;
}

function newId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function speed(transfer: Transfer): string {
  const seconds = (performance.now() - transfer.startedAt) / 1000;
  return seconds > 0.2 ? `${formatBytes(transfer.bytes / seconds)}/s` : "";
}

/** The states whose names do not already say it (the others are shown as they are). */
const STATE_WORDS: Partial<Record<State, string>> = {
  waiting: "waiting to start",
  offered: "waiting for an answer",
  interrupted: "stopped: the connection was interrupted",
};

export class FileTransfers {
  /** The Files panel's content (the panel host shows it). */
  readonly body: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #transfers = new Map<string, Transfer>();
  readonly #queues = new Map<string, Transfer[]>();
  readonly #links = new Map<string, { remote: FeaturePeer; onMessage: (event: MessageEvent) => void }>();

  constructor(
    private readonly announce: (text: string) => void,
    /** A transfer appeared (sent or offered to us): the page shows the Files panel. */
    private readonly onActivity: () => void,
  ) {
    this.#list = el("ul", { class: "transfers" });
    this.body = el("div", { class: "files-body" }, this.#list);
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
      if (transfer.peer.id === remote.id && !this.#finished(transfer)) {
        this.#setState(transfer, "interrupted");
        // Said plainly: a transfer never just sits there.
        this.announce(`${transfer.name} stopped: the connection to ${remote.name} was interrupted. Send it again.`);
      }
    }
    this.#queues.delete(remote.id);
  }

  /** Offers `files` to one peer, or to everyone when `to` is null; files go one after another. */
  send(files: File[], to: FeaturePeer | null): void {
    const peers = to ? [to] : [...this.#links.values()].map((l) => l.remote);
    for (const peer of peers) {
      for (const file of files) {
        const transfer = this.#track({
          id: newId(),
          direction: "out",
          peer,
          // Within what a receiver accepts (it drops an offer out of bounds).
          name: file.name.slice(0, MAX_FILE_NAME_CHARS) || "file",
          size: file.size,
          mime: file.type.length <= MAX_MIME_CHARS ? file.type : "",
          state: "waiting",
          bytes: 0,
          startedAt: 0,
          file,
        });
        const queue = this.#queues.get(peer.id) ?? [];
        queue.push(transfer);
        this.#queues.set(peer.id, queue);
      }
      this.#next(peer);
    }
    this.onActivity();
  }

  #track(data: Omit<Transfer, "view">): Transfer {
    const transfer = { ...data, view: this.#view(data.id) } as Transfer;
    this.#transfers.set(transfer.id, transfer);
    this.#list.prepend(transfer.view.root);
    transfer.view.update(transfer);
    return transfer;
  }

  /** Starts the next queued file for `peer`, if none is under way. */
  #next(peer: FeaturePeer): void {
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
          chunks: [],
        });
        this.onActivity();
        this.announce(`${peer.name} wants to send you ${control.name} (${formatBytes(control.size)})`);
        return;
      case "accept":
        if (transfer?.direction === "out" && transfer.state === "offered") void this.stream(transfer);
        return;
      case "decline":
        if (transfer?.direction === "out" && transfer.state === "offered") {
          this.#setState(transfer, "declined");
          this.#next(peer);
        }
        return;
      case "cancel":
        if (transfer && transfer.peer.id === peer.id && !this.#finished(transfer)) {
          this.#setState(transfer, "cancelled");
          transfer.chunks = [];
          this.announce(`${peer.name} cancelled ${transfer.name}`);
          if (transfer.direction === "out") this.#next(peer);
        }
        return;
      case "end":
        if (transfer?.direction === "in" && transfer.state === "receiving") void this.verify(transfer, control.sha256);
        return;
    }
  }

  #onChunk(peer: FeaturePeer, chunk: ArrayBuffer): void {
    const transfer = [...this.#transfers.values()].find(
      (t) => t.direction === "in" && t.state === "receiving" && t.peer.id === peer.id,
    );
    if (!transfer) return; // e.g. the tail of a transfer we cancelled
    transfer.chunks!.push(chunk);
    transfer.bytes += chunk.byteLength;
    if (transfer.bytes > transfer.size) {
      this.#setState(transfer, "failed");
      transfer.chunks = [];
      this.#control(peer, { kind: "cancel", id: transfer.id });
      return;
    }
    this.#progress(transfer);
  }

  private async stream(transfer: Transfer): Promise<void> {
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
        this.#progress(transfer);
      }
      this.#control(transfer.peer, { kind: "end", id: transfer.id, sha256: await sha256Promise });
      this.#setState(transfer, "done");
    } catch {
      if (transfer.state === "sending") this.#setState(transfer, "failed");
    }
    this.#next(transfer.peer);
  }

  private async verify(transfer: Transfer, expected: string): Promise<void> {
    this.#setState(transfer, "checking");
    // Never the MIME type the peer claimed: a "text/html" blob opened on our
    // origin would run the peer's script. Bytes are bytes until saved.
    const blob = new Blob(transfer.chunks, { type: "application/octet-stream" });
    transfer.chunks = [];
    const intact = blob.size === transfer.size && (await sha256Hex(blob)) === expected;
    if (!intact) {
      this.#setState(transfer, "failed");
      this.announce(`${transfer.name} did not arrive intact`);
      return;
    }
    transfer.url = URL.createObjectURL(blob);
    this.#setState(transfer, "done");
    const link = el("a", { href: transfer.url, download: transfer.name }, `Download ${transfer.name}`);
    transfer.view.root.append(link);
    this.announce(`${transfer.name} received and checked`);
  }

  #accept(transfer: Transfer): void {
    if (transfer.state !== "offered") return;
    this.#setState(transfer, "receiving");
    transfer.startedAt = performance.now();
    this.#control(transfer.peer, { kind: "accept", id: transfer.id });
  }

  #decline(transfer: Transfer): void {
    if (transfer.state !== "offered") return;
    this.#setState(transfer, "declined");
    this.#control(transfer.peer, { kind: "decline", id: transfer.id });
  }

  #cancel(transfer: Transfer): void {
    if (this.#finished(transfer)) return;
    // A file still in our queue was never offered: the peer has nothing to forget.
    const peerKnows = transfer.state !== "waiting";
    this.#setState(transfer, "cancelled");
    transfer.chunks = [];
    if (peerKnows) this.#control(transfer.peer, { kind: "cancel", id: transfer.id });
    if (transfer.direction === "out") this.#next(transfer.peer);
  }

  /** Forgets a finished transfer: its row goes, and a received file's memory with its URL. */
  #remove(transfer: Transfer): void {
    if (!this.#finished(transfer)) return;
    if (transfer.url) URL.revokeObjectURL(transfer.url);
    transfer.url = undefined;
    transfer.view.root.remove();
    this.#transfers.delete(transfer.id);
  }

  /**
   * The call ended: every transfer stops, and every received file's memory is
   * given back (the downloads went with the call's page; without this each
   * received Blob stayed in memory for the life of the tab).
   */
  close(): void {
    for (const transfer of [...this.#transfers.values()]) {
      if (!this.#finished(transfer)) this.#setState(transfer, "interrupted");
      transfer.chunks = [];
      this.#remove(transfer);
    }
    this.#queues.clear();
  }

  #finished(transfer: Transfer): boolean {
    return ["done", "declined", "cancelled", "failed", "interrupted"].includes(transfer.state);
  }

  #setState(transfer: Transfer, state: State): void {
    transfer.state = state;
    this.#progress(transfer);
  }

  #progress(transfer: Transfer): void {
    transfer.view.update(transfer);
    window.dispatchEvent(
      new CustomEvent<FileProgressDetail>("tincan:file-progress", {
        detail: {
          id: transfer.id,
          direction: transfer.direction,
          bytes: transfer.bytes,
          size: transfer.size,
          state: transfer.state,
        },
      }),
    );
  }

  #view(id: string): TransferView {
    const title = el("p", { class: "transfer-title" });
    const bar = el("progress", { max: "1", value: "0" });
    const status = el("p", { class: "transfer-status" });
    const actions = el("div", { class: "transfer-actions" });
    const root = el("li", { class: "transfer", "data-transfer-id": id }, title, bar, status, actions);
    let shownActions = "";
    return {
      root,
      update: (t) => {
        const who = t.direction === "out" ? `To ${t.peer.name}` : `From ${t.peer.name}`;
        title.textContent = `${who}: ${t.name} (${formatBytes(t.size)})`;
        bar.max = Math.max(1, t.size);
        bar.value = t.bytes;
        bar.setAttribute("aria-label", `${t.name} progress`);
        const rate = t.state === "sending" || t.state === "receiving" ? speed(t) : "";
        status.textContent = `${STATE_WORDS[t.state] ?? t.state}, ${formatBytes(t.bytes)} of ${formatBytes(t.size)}${rate ? `, ${rate}` : ""}`;
        // Buttons change only when the state does, so focus is not lost on progress.
        const wanted =
          t.direction === "in" && t.state === "offered"
            ? "answer"
            : t.state === "checking"
              ? ""
              : this.#finished(t)
                ? "remove"
                : "cancel";
        if (wanted === shownActions) return;
        shownActions = wanted;
        actions.replaceChildren();
        const button = (label: string, name: string, run: () => void) => {
          const b = el("button", { type: "button", "aria-label": `${name} ${t.name}` }, label);
          b.addEventListener("click", run);
          actions.append(b);
        };
        if (wanted === "answer") {
          button("Accept", "Accept", () => this.#accept(t));
          button("Decline", "Decline", () => this.#decline(t));
        } else if (wanted === "cancel") {
          button("Cancel", "Cancel", () => this.#cancel(t));
        } else {
          button("Remove", "Remove", () => this.#remove(t));
        }
      },
    };
  }
}
