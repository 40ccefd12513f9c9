// Chat over each peer's `tincan` channel: the server never sees a message.
// The call reads the channel (chat shares it with peer state) and hands
// chat messages here; everything a peer sends is shown as text, never HTML.
import { MAX_CHAT_CHARS, type ChatMessage } from "../../../protocol";
import { el } from "../dom";
import type { Remote } from "./call";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export class Chat {
  readonly panel: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly input: HTMLInputElement;
  private readonly remotes = new Map<string, Remote>();
  private unread = 0;

  constructor(
    private readonly selfName: () => string,
    private readonly announce: (text: string) => void,
    private readonly onUnread: (count: number) => void,
  ) {
    this.list = el("ol", { class: "chat-log", role: "log", "aria-label": "Messages" });
    this.input = el("input", { id: "chat-message", autocomplete: "off", maxlength: String(MAX_CHAT_CHARS) });
    const form = el(
      "form",
      { class: "chat-form" },
      el("label", { for: "chat-message" }, "Message"),
      this.input,
      el("button", { type: "submit" }, "Send"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send(this.input.value);
      this.input.value = "";
    });
    this.panel = el(
      "section",
      { class: "side-panel", "aria-label": "Chat", hidden: true },
      el("h2", {}, "Chat"),
      this.list,
      form,
    );
  }

  get open(): boolean {
    return !this.panel.hidden;
  }

  toggle(): void {
    this.panel.hidden = !this.panel.hidden;
    if (this.open) {
      this.unread = 0;
      this.onUnread(0);
      this.input.focus();
    }
  }

  /** A peer to send to (call for every peer that appears). */
  attach(remote: Remote): void {
    this.remotes.set(remote.info.id, remote);
  }

  detach(remote: Remote): void {
    this.remotes.delete(remote.info.id);
  }

  send(raw: string): void {
    const text = raw.trim().slice(0, MAX_CHAT_CHARS);
    if (text === "") return;
    const frame = JSON.stringify({ kind: "chat", text } satisfies ChatMessage);
    for (const remote of this.remotes.values()) {
      if (remote.link.channel.readyState === "open") remote.link.channel.send(frame);
    }
    this.add(`${this.selfName()} (you)`, text);
  }

  /** A chat message from a peer (already read and checked by the call). */
  receive(name: string, text: string): void {
    this.add(name, text);
    this.announce(`${name} says: ${text}`);
    if (!this.open) {
      this.unread += 1;
      this.onUnread(this.unread);
    }
  }

  private add(name: string, text: string): void {
    const now = new Date();
    this.list.append(
      el(
        "li",
        {},
        el("span", { class: "chat-name" }, name),
        " ",
        el("time", { datetime: now.toISOString() }, timeFormat.format(now)),
        el("p", { class: "chat-text" }, text),
      ),
    );
    this.list.scrollTop = this.list.scrollHeight;
  }
}
