// The side panels (chat, people, files) in one place: one open at a time,
// each with a close button, Escape closes the open one, and on a phone the
// host is a bottom sheet above the control bar.
import type { PanelName } from "../room/view-state";
import { el } from "../dom";
import { icon } from "./icons";

export interface PanelSpec {
  name: PanelName;
  title: string;
  /** The panel's own content. */
  body: HTMLElement;
  /** Called when it opens (to focus its input, clear a count). */
  opened?(): void;
}

export class PanelHost {
  readonly root: HTMLElement;
  readonly #panels = new Map<PanelName, { spec: PanelSpec; section: HTMLElement }>();
  #open: PanelName | null = null;

  constructor(
    specs: PanelSpec[],
    private readonly close: () => void,
  ) {
    this.root = el("aside", { class: "panel-host", hidden: true });
    for (const spec of specs) {
      const closeButton = el("button", {
        type: "button",
        class: "panel-close",
        "aria-label": `Close ${spec.title.toLowerCase()}`,
        title: "Close",
      });
      closeButton.append(icon("close"));
      closeButton.addEventListener("click", () => this.close());
      const section = el(
        "section",
        { class: "side-panel", "aria-label": spec.title, hidden: true },
        el("header", { class: "panel-header" }, el("h2", {}, spec.title), closeButton),
        spec.body,
      );
      this.#panels.set(spec.name, { spec, section });
      this.root.append(section);
    }
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        this.close();
      }
    });
  }

  update(panel: PanelName | null): void {
    if (panel === this.#open) return;
    this.#open = panel;
    for (const [name, { section }] of this.#panels) section.hidden = name !== panel;
    this.root.hidden = panel === null;
    if (panel) this.#panels.get(panel)?.spec.opened?.();
  }
}
