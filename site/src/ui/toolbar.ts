// The control bar, built from one list of control specs: icon buttons with
// their accessible names and tooltips, toggles showing their state by icon
// and colour (and aria-pressed), the less-used ones in a "More" menu on
// narrow screens, and no control for what this browser cannot do.
import type { CallState } from "../room/view-state";
import { el } from "../dom";
import { icon, setIcon, type IconName } from "./icons";

export interface ControlSpec {
  /** The accessible name; tests and people rely on it. */
  label: string;
  icon: IconName;
  /** The icon while the toggle is off (a crossed microphone). */
  offIcon?: IconName;
  /** On a narrow screen, inside "More". */
  secondary?: boolean;
  danger?: boolean;
  /** The key that works it, shown in the tooltip and in Help, and what it does there. */
  shortcut?: { key: string; what: string };
  /** Shown at all (what the browser cannot do is not offered). */
  available?: () => boolean;
  /** A toggle: whether it is on now (undefined for plain actions). */
  pressed?: (state: CallState) => boolean;
  /** Usable now (a toggle for a device that is missing is shown, disabled). */
  enabled?: (state: CallState) => boolean;
  /** It opens something: whether that is open (aria-expanded). */
  expanded?: (state: CallState) => boolean;
  /** A count to show (unread messages). */
  badge?: (state: CallState) => number;
  run(): void;
}

interface Control {
  spec: ControlSpec;
  button: HTMLButtonElement;
  badge: HTMLElement | null;
  /** What it shows now (see update). */
  shown?: string;
}

export class Toolbar {
  readonly root: HTMLElement;
  readonly #controls: Control[] = [];
  readonly #more: HTMLButtonElement;
  readonly #menu: HTMLElement;

  constructor(specs: ControlSpec[]) {
    this.#more = el("button", {
      type: "button",
      class: "control more",
      "aria-label": "More",
      title: "More",
      "aria-haspopup": "true",
      "aria-expanded": "false",
    });
    this.#more.append(icon("more"));
    this.#menu = el("div", { class: "toolbar-secondary" });
    const primary: HTMLElement[] = [];
    for (const spec of specs) {
      if (spec.available && !spec.available()) continue;
      const button = el("button", {
        type: "button",
        class: `control${spec.danger ? " danger" : ""}`,
        "aria-label": spec.label,
        title: spec.shortcut ? `${spec.label} (${spec.shortcut.key})` : spec.label,
      });
      button.append(icon(spec.icon), el("span", { class: "control-label", "aria-hidden": "true" }, spec.label));
      const badge = spec.badge ? el("span", { class: "badge", "aria-hidden": "true", hidden: true }) : null;
      if (badge) button.append(badge);
      if (spec.pressed) button.setAttribute("aria-pressed", "false");
      if (spec.expanded) button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", () => {
        if (spec.secondary) this.closeMenu();
        spec.run();
      });
      this.#controls.push({ spec, button, badge });
      if (spec.secondary) this.#menu.append(button);
      else primary.push(button);
    }
    this.#more.addEventListener("click", () => this.#setMenu(!this.menuOpen));
    this.#menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        this.closeMenu();
        this.#more.focus();
      }
    });
    // Leave stays last, after More.
    const leave = primary.findIndex((b) => b.classList.contains("danger"));
    const tail = leave >= 0 ? primary.splice(leave, 1) : [];
    this.root = el(
      "div",
      { class: "toolbar", role: "toolbar", "aria-label": "Call controls" },
      ...primary,
      el("div", { class: "toolbar-more" }, this.#more, this.#menu),
      ...tail,
    );
  }

  get menuOpen(): boolean {
    return this.#more.getAttribute("aria-expanded") === "true";
  }

  closeMenu(): void {
    this.#setMenu(false);
  }

  update(state: CallState): void {
    for (const control of this.#controls) {
      const { spec, button, badge } = control;
      // What the button should say now, in one string: the DOM is written only when it changes.
      const on = spec.pressed?.(state);
      const view = [on, spec.enabled?.(state), spec.expanded?.(state), spec.badge?.(state)];
      const key = view.join();
      if (key === control.shown) continue;
      control.shown = key;
      if (on !== undefined) {
        button.setAttribute("aria-pressed", String(on));
        button.classList.toggle("is-off", !on && spec.offIcon !== undefined);
        setIcon(button, on || !spec.offIcon ? spec.icon : spec.offIcon);
      }
      if (view[1] !== undefined) button.disabled = !view[1];
      if (view[2] !== undefined) button.setAttribute("aria-expanded", String(view[2]));
      const count = view[3];
      if (typeof count === "number" && badge) {
        badge.hidden = count === 0;
        badge.textContent = String(count);
        button.setAttribute("aria-description", count === 0 ? "" : `${count} unread`);
      }
    }
  }

  #setMenu(open: boolean): void {
    this.#more.setAttribute("aria-expanded", String(open));
    this.#menu.classList.toggle("is-open", open);
    if (open) this.#menu.querySelector("button")?.focus();
  }
}
