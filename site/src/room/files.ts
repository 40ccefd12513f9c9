// The Files panel: one row per transfer of the Room's, with its progress,
// speed and buttons, and each change said in words. The bytes, the checks
// and the protocol are the library's (Room's file events and calls).
import { isFinished, type FileTransfer as Transfer, type Room, type TransferState } from "../client";
import { el } from "../dom";
import { formatBytes } from "./file-bytes";

/** Progress for tests and assistive tech alike: a DOM event per change. */
export interface FileProgressDetail {
  id: string;
  direction: "out" | "in";
  bytes: number;
  size: number;
  state: TransferState;
}

interface Row {
  root: HTMLElement;
  update(transfer: Transfer): void;
  /** A received file's object URL: it holds the file in memory until revoked. */
  url?: string;
}

function speed(transfer: Transfer): string {
  const seconds = (performance.now() - transfer.startedAt) / 1000;
  return seconds > 0.2 ? `${formatBytes(transfer.bytes / seconds)}/s` : "";
}

/** The states whose names do not already say it (the others are shown as they are). */
const STATE_WORDS: Partial<Record<TransferState, string>> = {
  waiting: "waiting to start",
  offered: "waiting for an answer",
  interrupted: "stopped: the connection was interrupted",
};

export class FileTransfers {
  /** The Files panel's content (the panel host shows it). */
  readonly body: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #rows = new Map<string, Row>();

  constructor(
    private readonly room: Room,
    private readonly announce: (text: string) => void,
    /** A transfer appeared (sent or offered to us): the page shows the Files panel. */
    private readonly onActivity: () => void,
  ) {
    this.#list = el("ul", { class: "transfers" });
    this.body = el("div", { class: "files-body" }, this.#list);
    // Rows follow the Room's transfers; leaving the room forgets them all (file-removed), and their URLs with them.
    room.on("file-offered", (t) => this.#added(t));
    room.on("file-progress", (t) => (this.#rows.has(t.id) ? this.#progress(t) : this.#added(t)));
    room.on("file-received", (t, blob) => this.#received(t, blob));
    room.on("file-removed", (t) => this.#removed(t));
  }

  /** Offers `files` to one peer, or to everyone when `to` is null; files go one after another. */
  send(files: File[], to: string | null): void {
    this.room.sendFile(files, to === null ? {} : { to });
    this.onActivity();
  }

  #added(transfer: Transfer): void {
    const row = this.#row(transfer);
    this.#rows.set(transfer.id, row);
    this.#list.prepend(row.root);
    this.#progress(transfer);
    if (transfer.direction === "in") {
      this.onActivity();
      this.announce(`${transfer.peerName} wants to send you ${transfer.name} (${formatBytes(transfer.size)})`);
    }
  }

  #progress(transfer: Transfer): void {
    const row = this.#rows.get(transfer.id);
    if (!row) return;
    const was = row.root.dataset["state"];
    row.root.dataset["state"] = transfer.state;
    row.update(transfer);
    if (was !== transfer.state) this.#said(transfer);
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

  /** What a new state means, in words. */
  #said(transfer: Transfer): void {
    const { name, peerName } = transfer;
    if (transfer.state === "interrupted" && transfer.end === "connection-lost") {
      // Said plainly: a transfer never just sits there.
      this.announce(`${name} stopped: the connection to ${peerName} was interrupted. Send it again.`);
    } else if (transfer.state === "cancelled" && transfer.end === "peer-cancelled") {
      this.announce(`${peerName} cancelled ${name}`);
    } else if (transfer.state === "failed" && transfer.end === "not-intact") {
      this.announce(`${name} did not arrive intact`);
    }
  }

  /** A received file's download link: its object URL holds the file in memory until the row goes. */
  #received(transfer: Transfer, blob: Blob): void {
    const row = this.#rows.get(transfer.id);
    if (!row || row.url) return;
    row.url = URL.createObjectURL(blob);
    row.root.append(el("a", { href: row.url, download: transfer.name }, `Download ${transfer.name}`));
    this.announce(`${transfer.name} received and checked`);
  }

  /** A forgotten transfer: its row goes, and a received file's memory with its URL. */
  #removed(transfer: Transfer): void {
    const row = this.#rows.get(transfer.id);
    if (!row) return;
    if (row.url) URL.revokeObjectURL(row.url);
    row.root.remove();
    this.#rows.delete(transfer.id);
  }

  #row(transfer: Transfer): Row {
    const id = transfer.id;
    const title = el("p", { class: "transfer-title" });
    const bar = el("progress", { max: "1", value: "0" });
    const status = el("p", { class: "transfer-status" });
    const actions = el("div", { class: "transfer-actions" });
    const root = el("li", { class: "transfer", "data-transfer-id": id }, title, bar, status, actions);
    let shownActions = "";
    const room = this.room;
    return {
      root,
      update: (t) => {
        const who = t.direction === "out" ? `To ${t.peerName}` : `From ${t.peerName}`;
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
              : isFinished(t)
                ? "remove"
                : "cancel";
        if (wanted === shownActions) return;
        shownActions = wanted;
        actions.replaceChildren();
        const button = (label: string, run: () => void) => {
          const b = el("button", { type: "button", "aria-label": `${label} ${t.name}` }, label);
          b.addEventListener("click", run);
          actions.append(b);
        };
        if (wanted === "answer") {
          button("Accept", () => room.acceptFile(id));
          button("Decline", () => room.declineFile(id));
        } else if (wanted === "cancel") {
          button("Cancel", () => room.cancelFile(id));
        } else if (wanted === "remove") {
          button("Remove", () => room.removeFile(id));
        }
      },
    };
  }
}
