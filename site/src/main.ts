// Entry point: the landing page at `/`, a room at `/{room}`.
import { normalizeRoomName } from "../../protocol";
import { el, replaceChildren } from "./dom";
import { showLanding } from "./landing";
import { showRoom } from "./room/page";

const app = document.getElementById("app");
if (!app) throw new Error("index.html has no #app");

function roomPath(): string {
  try {
    return decodeURIComponent(location.pathname.replace(/^\/+|\/+$/g, ""));
  } catch {
    return "\u0000"; // Malformed %-escapes: not a room name.
  }
}

const path = roomPath();
if (path === "") {
  showLanding(app);
} else {
  const room = normalizeRoomName(path);
  if (room === null) {
    document.title = "Not a room · Tincan";
    replaceChildren(
      app,
      el(
        "section",
        { class: "panel" },
        el("h1", {}, "That is not a room name"),
        el("p", {}, "A room name is 1 to 64 letters, digits, - or _."),
        el("a", { href: "/" }, "Start or join a room"),
      ),
    );
  } else {
    // One room, one link: /Team-A and /team-a are the same room.
    if (`/${room}` !== location.pathname) history.replaceState(null, "", `/${room}${location.search}`);
    void showRoom(app, room);
  }
}
