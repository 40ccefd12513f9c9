// Chat over each peer's data channel: the server never sees a message.
// Everything a peer sends is shown as text, never parsed as HTML.
import { el } from "../dom";
import type { Remote } from "./call";

const MAX_MESSAGE_CHARS = 2_000;

interface ChatFrame {
  kind: "chat";
  text: string;
}

function readChat(data: unknown): ChatFrame | null {
  if (typeof data !== "string" || data.length > MAX_MESSAGE_CHARS * 6 + 100) return null;
  try {
    const value = JSON.parse(data) as Partial<ChatFrame>;
    return value.kind === "chat" && typeof value.text === "string" && value.text.length <= MAX_MESSAGE_CHARS
      ? { kind: "chat", text: value.text }
      : null;
  } catch {
    return null;
  }
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export class Chat {
  readonly panel: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly input: HTMLInputElement;
  private readonly channels = new Map<string, { remote: Remote; onMessage: (event: MessageEvent) => void }>();
  private unread = 0;

  constructor(
    private readonly selfName: () => string,
    private readonly announce: (text: string) => void,
    private readonly onUnread: (count: number) => void,
  ) {
    this.list = el("ol", { class: "chat-log", role: "log", "aria-label": "Messages" });
    this.input = el("input", { id: "chat-message", autocomplete: "off", maxlength: String(MAX_MESSAGE_CHARS) });
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

  /** Listen on a peer's channel (call for every peer that appears). */
  attach(remote: Remote): void {
    const onMessage = (event: MessageEvent) => {
      const frame = readChat(event.data);
      if (frame) this.receive(remote.info.name, frame.text);
    };
    remote.link.channel.addEventListener("message", onMessage);
    this.channels.set(remote.info.id, { remote, onMessage });
  }

  detach(remote: Remote): void {
    const entry = this.channels.get(remote.info.id);
    entry?.remote.link.channel.removeEventListener("message", entry.onMessage);
    this.channels.delete(remote.info.id);
  }

  send(raw: string): void {
    const text = raw.trim().slice(0, MAX_MESSAGE_CHARS);
    if (text === "") return;
    const frame = JSON.stringify({ kind: "chat", text } satisfies ChatFrame);
    for (const { remote } of this.channels.values()) {
      if (remote.link.channel.readyState === "open") remote.link.channel.send(frame);
    }
    this.add(`${this.selfName()} (you)`, text);
  }

  private receive(name: string, text: string): void {
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
