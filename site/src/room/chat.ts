// Chat over each peer's `tincan` channel: the server never sees a message.
// The call reads the channel (chat shares it with peer state) and hands
// chat messages here; everything a peer sends is shown as text, never HTML.
import { MAX_CHAT_CHARS, type ChatMessage } from "../../../protocol";
import type { FeaturePeer } from "../call/call";
import { el } from "../dom";

/** Messages kept for one peer whose channel is not open. */
const MAX_WAITING = 100;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export class Chat {
  /** The Chat panel's content (the panel host shows it). */
  readonly body: HTMLElement;
  readonly #list: HTMLOListElement;
  readonly #input: HTMLInputElement;
  readonly #peers = new Map<string, FeaturePeer>();
  /**
   * Messages for a peer whose channel is not open yet (still connecting, or
   * replaced after a network change): they go out, in order, once it opens.
   * Kept across a replaced connection (same peer id); bounded.
   */
  readonly #waiting = new Map<string, string[]>();

  constructor(
    private readonly selfName: () => string,
    private readonly announce: (text: string) => void,
    /** A message from someone else arrived. */
    private readonly onReceived: () => void,
  ) {
    this.#list = el("ol", { class: "chat-log", role: "log", "aria-label": "Messages" });
    this.#input = el("input", { id: "chat-message", autocomplete: "off", maxlength: String(MAX_CHAT_CHARS) });
    const form = el(
      "form",
      { class: "chat-form" },
      el("label", { for: "chat-message" }, "Message"),
      this.#input,
      el("button", { type: "submit" }, "Send"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send(this.#input.value);
      this.#input.value = "";
    });
    this.body = el("div", { class: "chat-body" }, this.#list, form);
  }

  focus(): void {
    this.#input.focus();
  }

  /** A peer to send to (for every peer that appears, and every connection that replaces one). */
  attach(peer: FeaturePeer): void {
    this.#peers.set(peer.id, peer);
    const flush = () => {
      if (this.#peers.get(peer.id) !== peer) return;
      for (const frame of this.#waiting.get(peer.id)?.splice(0) ?? []) peer.channel.send(frame);
    };
    if (peer.channel.readyState === "open") flush();
    else peer.channel.addEventListener("open", flush, { once: true });
  }

  /** The peer's connection is gone; `left`: for good (what waits for it is dropped). */
  detach(id: string, left = true): void {
    this.#peers.delete(id);
    if (left) this.#waiting.delete(id);
  }

  send(raw: string): void {
    const text = raw.trim().slice(0, MAX_CHAT_CHARS);
    if (text === "") return;
    const frame = JSON.stringify({ kind: "chat", text } satisfies ChatMessage);
    for (const { id, channel } of this.#peers.values()) {
      if (channel.readyState === "open") channel.send(frame);
      else {
        const waiting = this.#waiting.get(id) ?? [];
        if (waiting.length < MAX_WAITING) waiting.push(frame);
        this.#waiting.set(id, waiting);
      }
    }
    this.#add(`${this.selfName()} (you)`, text);
  }

  /** A chat message from a peer (already read and checked by the call). */
  receive(name: string, text: string): void {
    this.#add(name, text);
    this.announce(`${name} says: ${text}`);
    this.onReceived();
  }

  #add(name: string, text: string): void {
    const now = new Date();
    this.#list.append(
      el(
        "li",
        {},
        el("span", { class: "chat-name" }, name),
        " ",
        el("time", { datetime: now.toISOString() }, timeFormat.format(now)),
        el("p", { class: "chat-text" }, text),
      ),
    );
    this.#list.scrollTop = this.#list.scrollHeight;
  }
}
