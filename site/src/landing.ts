// The start page: what Tincan is in a line, New room first, join by a room's
// name or by pasting its link, and the rooms joined lately on this browser.
import { newRoomName, normalizeRoomName } from "../../protocol";
import { el, replaceChildren } from "./dom";
import { recentRooms } from "./prefs";

/** The room a typed name or a pasted link (`https://…/team-a`) stands for, or null. */
export function roomFromInput(raw: string): string | null {
  const text = raw.trim();
  if (text.includes("/")) {
    try {
      const segments = new URL(text, location.href).pathname.split("/").filter(Boolean);
      return segments.length === 1 ? normalizeRoomName(decodeURIComponent(segments[0]!)) : null;
    } catch {
      return null;
    }
  }
  return normalizeRoomName(text);
}

export function showLanding(app: HTMLElement): void {
  document.title = "Tincan";
  const input = el("input", {
    id: "room-name",
    name: "room",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "300",
    required: true,
    placeholder: "team-a, or a room link",
    "aria-describedby": "room-error",
  });
  const error = el("p", { id: "room-error", class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "join-form" },
    el("label", { for: "room-name" }, "Room name or link"),
    el("div", { class: "join-row" }, input, el("button", { type: "submit" }, "Join room")),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const room = roomFromInput(input.value);
    if (room === null) {
      error.textContent = "Use 1 to 64 letters, digits, - or _, or paste a room's link.";
      input.focus();
      return;
    }
    location.assign(`/${room}`);
  });
  const newRoom = el("button", { type: "button", class: "primary big" }, "New room");
  newRoom.addEventListener("click", () => location.assign(`/${newRoomName()}`));

  const recent = recentRooms();
  const recentList =
    recent.length === 0
      ? null
      : el(
          "nav",
          { "aria-label": "Recent rooms", class: "recent" },
          el("h2", {}, "Recent rooms"),
          el("ul", {}, ...recent.map((room) => el("li", {}, el("a", { href: `/${room}` }, room)))),
          el("p", { class: "note" }, "Kept in this browser only."),
        );

  replaceChildren(
    app,
    el(
      "section",
      { class: "panel landing" },
      el("h1", {}, "Tincan"),
      el(
        "p",
        { class: "lede" },
        "Video rooms that go straight from browser to browser. Open a room, share its link, talk. Nothing to install, no account.",
      ),
      newRoom,
      form,
      recentList,
    ),
  );
}
