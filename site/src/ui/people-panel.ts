// Everyone in the call and their state, in words, with the safety code of
// each connection to compare over the call.
import { formatSafetyCode, type Person } from "../client";
import type { CallState } from "../room/view-state";
import { el, replaceChildren } from "../dom";
import { peerWords, selfWords } from "./stage";

/** One device in words: off, not known yet, or nothing (on goes without saying). */
function deviceWords(on: boolean | null, device: string): string | null {
  return on === false ? `${device} off` : on === null ? `${device} not known yet` : null;
}

/** Microphone and camera in words (a screen share stands in for the camera). */
function mediaWords(person: Person): (string | null)[] {
  if (person.mic === null && person.camera === null && !person.screen) return ["microphone and camera not known yet"];
  return [deviceWords(person.mic, "microphone"), person.screen ? null : deviceWords(person.camera, "camera")];
}

function describe(person: Person, state: CallState): string {
  const parts = [
    person.self ? selfWords(state) : peerWords(person.link, person.path),
    ...mediaWords(person),
    person.screen ? "sharing the screen" : null,
    person.hand ? "hand raised" : null,
  ];
  return parts.filter(Boolean).join(", ");
}

export class PeoplePanel {
  readonly root: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #hint = el(
    "p",
    { class: "person-state" },
    "Read your codes to each other over the call: if they match, nobody is in the middle.",
  );
  /** What the list says now: speaking changes the state many times a second, the words rarely. */
  #said = "";

  /** `verify` records a Verified mark in the call state, which the checkbox only shows. */
  constructor(verify: (id: string, verified: boolean) => void) {
    this.#list = el("ul", { class: "people", "aria-label": "People in the call" });
    this.#list.addEventListener("change", (event) => {
      const box = event.target as HTMLInputElement;
      verify(box.value, box.checked);
    });
    this.root = el("div", {}, this.#list, this.#hint);
  }

  update(state: CallState): void {
    const rows = state.people.map((person) => ({
      id: person.id,
      name: person.self ? `${person.name} (you)` : person.name,
      words: describe(person, state),
      // "" until the code is known: the row then says "…", never a code that is not yet right.
      code: person.self ? null : formatSafetyCode(person.safetyCode ?? ""),
      verified: person.verified,
    }));
    const said = JSON.stringify(rows);
    if (said === this.#said) return;
    this.#said = said;
    // Ticking Verified re-renders the list: the new checkbox takes the focus back.
    const focused = document.activeElement?.id;
    this.#hint.hidden = rows.length < 2;
    replaceChildren(
      this.#list,
      ...rows.map((row) =>
        el(
          "li",
          { "data-peer-id": row.id },
          el("span", { class: "person-name" }, row.name),
          el("span", { class: "person-state" }, row.words),
          row.code !== null &&
            el("span", { role: "group", "aria-label": `Safety code with ${row.name}` }, row.code || "…"),
          row.code !== null &&
            el(
              "label",
              {},
              el("input", {
                type: "checkbox",
                id: `verified-${row.id}`,
                value: row.id,
                checked: row.verified,
                "aria-label": `Verified ${row.name}`,
              }),
              " Verified",
            ),
        ),
      ),
    );
    if (focused) document.getElementById(focused)?.focus();
  }
}
