// The Files panel: one row per transfer of the call's FileExchange, with its
// progress, speed and buttons, and each change said in words. The bytes,
// the checks and the protocol live in ../call/file-exchange.ts.
import { el } from "../dom";
import type { FeaturePeer } from "../call/call";
import { FileExchange, isFinished, type Transfer, type TransferState } from "../call/file-exchange";
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
  readonly exchange = new FileExchange();
  readonly #list: HTMLUListElement;
  readonly #rows = new Map<string, Row>();

  constructor(
    private readonly announce: (text: string) => void,
    /** A transfer appeared (sent or offered to us): the page shows the Files panel. */
    private readonly onActivity: () => void,
  ) {
    this.#list = el("ul", { class: "transfers" });
    this.body = el("div", { class: "files-body" }, this.#list);
    this.exchange.on("added", (t) => this.#added(t));
    this.exchange.on("progress", (t) => this.#progress(t));
    this.exchange.on("removed", (t) => this.#removed(t));
  }

  attach(remote: FeaturePeer): void {
    this.exchange.attach(remote);
  }

  detach(remote: FeaturePeer): void {
    this.exchange.detach(remote);
  }

  /** Offers `files` to one peer, or to everyone when `to` is null; files go one after another. */
  send(files: File[], to: FeaturePeer | null): void {
    this.exchange.send(files, to);
    this.onActivity();
  }

  /** The call ended: every transfer stops, and every received file's memory is given back. */
  close(): void {
    this.exchange.close();
  }

  #added(transfer: Transfer): void {
    const row = this.#row(transfer);
    this.#rows.set(transfer.id, row);
    this.#list.prepend(row.root);
    this.#progress(transfer);
    if (transfer.direction === "in") {
      this.onActivity();
      this.announce(`${transfer.peer.name} wants to send you ${transfer.name} (${formatBytes(transfer.size)})`);
    }
  }

  #progress(transfer: Transfer): void {
    const row = this.#rows.get(transfer.id);
    if (!row) return;
    const was = row.root.dataset["state"];
    row.root.dataset["state"] = transfer.state;
    row.update(transfer);
    if (was !== transfer.state) this.#said(transfer, row);
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

  /** What a new state means, in words (and a received file's download link). */
  #said(transfer: Transfer, row: Row): void {
    const { name, peer } = transfer;
    if (transfer.state === "interrupted" && transfer.end === "connection-lost") {
      // Said plainly: a transfer never just sits there.
      this.announce(`${name} stopped: the connection to ${peer.name} was interrupted. Send it again.`);
    } else if (transfer.state === "cancelled" && transfer.end === "peer-cancelled") {
      this.announce(`${peer.name} cancelled ${name}`);
    } else if (transfer.state === "failed" && transfer.end === "not-intact") {
      this.announce(`${name} did not arrive intact`);
    } else if (transfer.state === "done" && transfer.blob) {
      row.url = URL.createObjectURL(transfer.blob);
      row.root.append(el("a", { href: row.url, download: name }, `Download ${name}`));
      this.announce(`${name} received and checked`);
    }
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
    const exchange = this.exchange;
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
          button("Accept", () => exchange.accept(id));
          button("Decline", () => exchange.decline(id));
        } else if (wanted === "cancel") {
          button("Cancel", () => exchange.cancel(id));
        } else if (wanted === "remove") {
          button("Remove", () => exchange.remove(id));
        }
      },
    };
  }
}
