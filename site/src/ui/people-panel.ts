// Everyone in the call and their state, in words.
import type { CallState, Person } from "../call/state";
import { el, replaceChildren } from "../dom";
import { peerWords, selfWords } from "./stage";

function describe(person: Person, state: CallState): string {
  const parts = [
    person.self ? selfWords(state) : peerWords(person.link, person.path),
    person.mic ? null : "microphone off",
    person.camera || person.screen ? null : "camera off",
    person.screen ? "sharing the screen" : null,
    person.hand ? "hand raised" : null,
  ];
  return parts.filter(Boolean).join(", ");
}

export class PeoplePanel {
  readonly root: HTMLElement;
  readonly #list: HTMLUListElement;
  /** What the list says now: speaking changes the state many times a second, the words rarely. */
  #said = "";

  constructor() {
    this.#list = el("ul", { class: "people", "aria-label": "People in the call" });
    this.root = el("div", {}, this.#list);
  }

  update(state: CallState): void {
    const rows = state.people.map((person) => ({
      id: person.id,
      name: person.self ? `${person.name} (you)` : person.name,
      words: describe(person, state),
    }));
    const said = JSON.stringify(rows);
    if (said === this.#said) return;
    this.#said = said;
    replaceChildren(
      this.#list,
      ...rows.map((row) =>
        el(
          "li",
          { "data-peer-id": row.id },
          el("span", { class: "person-name" }, row.name),
          el("span", { class: "person-state" }, row.words),
        ),
      ),
    );
  }
}
