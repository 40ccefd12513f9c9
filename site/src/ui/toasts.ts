// Short notes in a corner for joins and leaves: for the eyes only (the call's
// live region says the same to screen readers), gone after a few seconds.
import { el } from "../dom";

const SHOWN_MS = 4_000;

export class Toasts {
  readonly root = el("div", { class: "toasts", "aria-hidden": "true" });

  show(text: string): void {
    const toast = el("p", { class: "toast" }, text);
    this.root.append(toast);
    setTimeout(() => toast.remove(), SHOWN_MS);
  }
}
