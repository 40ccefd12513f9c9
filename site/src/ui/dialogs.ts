// Modal dialogs of the call screen: a title, content, and a Close button.
import { el } from "../dom";

export function dialog(title: string, ...content: (Node | string | null)[]): HTMLDialogElement {
  const close = el("button", { type: "button" }, "Close");
  const box = el("dialog", { "aria-label": title }, el("h2", {}, title), ...content, close);
  close.addEventListener("click", () => box.close());
  return box;
}

/** The keyboard shortcuts, for the Help dialog. */
export function shortcutList(shortcuts: { key: string; what: string }[]): HTMLElement {
  return el(
    "dl",
    { class: "shortcuts" },
    ...shortcuts.flatMap(({ key, what }) => [el("dt", {}, el("kbd", {}, key)), el("dd", {}, what)]),
  );
}
