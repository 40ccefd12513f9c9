import { newRoomName, normalizeRoomName } from "../../protocol";
import { el, replaceChildren } from "./dom";

export function showLanding(app: HTMLElement): void {
  document.title = "Tincan";
  const input = el("input", {
    id: "room-name",
    name: "room",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "64",
    required: true,
    "aria-describedby": "room-error",
  });
  const error = el("p", { id: "room-error", class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "join-form" },
    el("label", { for: "room-name" }, "Room name"),
    input,
    el("button", { type: "submit" }, "Join room"),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const room = normalizeRoomName(input.value.trim());
    if (room === null) {
      error.textContent = "Use 1 to 64 letters, digits, - or _.";
      input.focus();
      return;
    }
    location.assign(`/${room}`);
  });
  const newRoom = el("button", { type: "button", class: "primary" }, "New room");
  newRoom.addEventListener("click", () => location.assign(`/${newRoomName()}`));

  replaceChildren(
    app,
    el(
      "section",
      { class: "panel" },
      el("h1", {}, "Tincan"),
      el(
        "p",
        {},
        "Video rooms that go straight from browser to browser. Open a room, share its link, talk. Nothing to install, no account.",
      ),
      newRoom,
      form,
    ),
  );
}
