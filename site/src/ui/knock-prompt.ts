// People knocking at the locked room, each with Admit and Deny: rendered
// from the call state, rebuilt only when the list of knockers changes (so a
// button keeps its focus while the rest of the call moves). A short tone
// marks a new knock unless the person turned it off.
import type { CallState } from "../room/view-state";
import { el, replaceChildren } from "../dom";
import { readPref, writePref } from "../prefs";

export class KnockPrompt {
  readonly root: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #sound: HTMLInputElement;
  #said = "";

  constructor(answer: (peerId: string, admit: boolean) => void) {
    this.#list = el("ul", {});
    this.#sound = el("input", { type: "checkbox", id: "knock-sound" });
    this.#sound.checked = readPref("knockSound") !== "off";
    this.#sound.addEventListener("change", () => writePref("knockSound", this.#sound.checked ? "on" : "off"));
    this.root = el(
      "section",
      { class: "knocks", "aria-label": "Waiting to join", hidden: true },
      this.#list,
      el("label", { class: "knock-sound" }, this.#sound, "Sound for knocks"),
    );
    this.#list.addEventListener("click", (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>("button[data-peer-id]");
      if (button) answer(button.dataset["peerId"]!, button.dataset["answer"] === "admit");
    });
  }

  update(state: CallState): void {
    const said = JSON.stringify(state.knocks);
    if (said === this.#said) return;
    this.#said = said;
    this.root.hidden = state.knocks.length === 0;
    replaceChildren(
      this.#list,
      ...state.knocks.map(({ id, name }) =>
        el(
          "li",
          {},
          el("span", {}, `${name} wants to join`),
          el(
            "button",
            {
              type: "button",
              class: "primary",
              "data-peer-id": id,
              "data-answer": "admit",
              "aria-label": `Admit ${name}`,
            },
            "Admit",
          ),
          el(
            "button",
            { type: "button", "data-peer-id": id, "data-answer": "deny", "aria-label": `Deny ${name}` },
            "Deny",
          ),
        ),
      ),
    );
  }

  /** A new knock: a short two-note tone, if wanted and the browser lets the page play sound. */
  ring(): void {
    if (!this.#sound.checked || typeof AudioContext === "undefined") return;
    try {
      const audio = new AudioContext();
      const gain = audio.createGain();
      gain.connect(audio.destination);
      gain.gain.setValueAtTime(0.12, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.5);
      [660, 880].forEach((hz, i) => {
        const tone = audio.createOscillator();
        tone.frequency.value = hz;
        tone.connect(gain);
        tone.start(audio.currentTime + i * 0.15);
        tone.stop(audio.currentTime + 0.5);
      });
      setTimeout(() => void audio.close(), 800);
    } catch {
      // No sound: the prompt and the announcement still say it.
    }
  }
}
