// Whole-page states: the call is over, or cannot start.
import { el, replaceChildren } from "../dom";

export function showState(
  app: HTMLElement,
  title: string,
  text: string,
  action: { label: string; run(): void } | null,
): void {
  const button = action ? el("button", { type: "button", class: "primary" }, action.label) : null;
  button?.addEventListener("click", action!.run);
  replaceChildren(
    app,
    el(
      "section",
      { class: "panel" },
      el("h1", {}, title),
      el("p", {}, text),
      button,
      el("p", {}, el("a", { href: "/" }, "Back to the start page")),
    ),
  );
  button?.focus();
}

export const reload = () => location.reload();

export function showRoomFull(app: HTMLElement, capacity: number | null): void {
  document.title = "Room full · Tincan";
  const seats = capacity === null ? "Every seat is taken." : `All ${capacity} seats are taken.`;
  showState(app, "This room is full", `${seats} Try again when someone leaves.`, { label: "Try again", run: reload });
}
