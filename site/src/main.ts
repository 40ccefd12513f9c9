// Entry point: the landing page at `/`, a room at `/{room}`.
import { normalizeRoomName } from "../../worker/protocol";
import { el, replaceChildren } from "./dom";
import { showLanding } from "./landing";
import { showRoom } from "./room/page";

const app = document.getElementById("app");
if (!app) throw new Error("index.html has no #app");

const path = decodeURIComponent(location.pathname.replace(/^\/+|\/+$/g, ""));
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
    void showRoom(app, room);
  }
}
