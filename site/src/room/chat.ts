// The Chat panel: the log and the message box. The messages travel over
// each peer's `tincan` channel (the library's Room sends and reads them;
// the server never sees one); everything a peer sends is shown as text,
// never HTML.
import { MAX_CHAT_CHARS } from "../../../protocol";
import { el } from "../dom";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export class Chat {
  /** The Chat panel's content (the panel host shows it). */
  readonly body: HTMLElement;
  readonly #list: HTMLOListElement;
  readonly #input: HTMLInputElement;

  constructor(
    private readonly selfName: () => string,
    /** Sends to everyone; returns the text as sent, or null when there was nothing to send. */
    private readonly sendText: (text: string) => string | null,
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
      const sent = this.sendText(this.#input.value);
      if (sent !== null) this.#add(`${this.selfName()} (you)`, sent);
      this.#input.value = "";
    });
    this.body = el("div", { class: "chat-body" }, this.#list, form);
  }

  focus(): void {
    this.#input.focus();
  }

  /** A chat message from a peer (already read and checked by the library). */
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
