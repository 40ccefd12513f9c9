// The room page: checks, the pre-join screen (preview with a microphone
// level, name, Join within sight at any size, devices, a connection check),
// then the call.
import { roomStatus } from "../client";
import { el, replaceChildren } from "../dom";
import { LocalMedia } from "../media";
import { readPref, rememberRoom, writePref } from "../prefs";
import { connectionCheckDialog, fetchCheckServers } from "../ui/connection-check";
import { devicePicker } from "./device-picker";
import { readEmbed, tellParent } from "./embed";
import { showCall } from "./in-call";
import { watchMicLevel } from "./mic-level";
import { showRoomFull, showState } from "./states";

export async function showRoom(app: HTMLElement, room: string): Promise<void> {
  document.title = `${room} · Tincan`;
  const embed = readEmbed(location.search);
  if (embed) tellParent(embed, { type: "ready" });
  if (typeof RTCPeerConnection === "undefined") {
    showState(
      app,
      "This browser cannot make calls",
      "Tincan needs WebRTC, which this browser does not offer (or has switched off). Try a current Firefox, Chrome, Edge or Safari.",
      null,
    );
    return;
  }
  const status = await roomStatus(location.origin, room);
  if (status && status.peers >= status.capacity) {
    if (embed) tellParent(embed, { type: "left", reason: "room-full" });
    showRoomFull(app, status.capacity);
    return;
  }

  const preview = el("video", { class: "preview mirrored", autoplay: true, playsinline: true });
  preview.muted = true;
  const level = el("meter", { class: "mic-level", min: "0", max: "1", value: "0", "aria-label": "Microphone level" });
  const mediaNote = el("p", { class: "note", role: "status" }, "Starting your camera…");
  const nameInput = el("input", { id: "display-name", name: "name", autocomplete: "nickname", maxlength: "40" });
  nameInput.value = embed?.name ?? readPref("name");
  const joinButton = el("button", { type: "submit", class: "primary" }, "Join");
  const devices = el("div", {});
  const check = connectionCheckDialog(fetchCheckServers);
  const checkButton = el("button", { type: "button", class: "quiet" }, "Check connection");
  checkButton.addEventListener("click", () => check.run());
  const roomNote = el(
    "p",
    { class: "note" },
    !status
      ? ""
      : status.peers === 0
        ? "Nobody is here yet."
        : `${status.peers} ${status.peers === 1 ? "person is" : "people are"} already here.` +
          (status.locked ? " The room is locked: someone inside lets you in." : ""),
  );
  const form = el(
    "form",
    { class: "prejoin" },
    roomNote,
    el("label", { for: "display-name" }, "Your name"),
    el("div", { class: "join-row" }, nameInput, joinButton),
    devices,
    checkButton,
  );
  replaceChildren(
    app,
    el(
      "section",
      { class: "prejoin-screen" },
      el("h1", {}, "Room ", el("code", {}, room)),
      el("div", { class: "prejoin-media" }, preview, level, mediaNote),
      form,
      check.dialog,
    ),
  );

  let stopLevel = () => {};
  const media = LocalMedia.open().then(async (opened) => {
    if (opened.problem) {
      preview.hidden = true;
      level.hidden = true;
      mediaNote.textContent = `${opened.problem.message} You can still join: you will see and hear the others.`;
    } else {
      preview.srcObject = opened.stream;
      stopLevel = watchMicLevel(opened.stream, level);
      mediaNote.textContent = "This is how you will look.";
      devices.replaceWith((await devicePicker(opened, "prejoin", () => {})).root);
    }
    return opened;
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    joinButton.disabled = true;
    stopLevel();
    // A video element keeps drawing its stream until it is collected: let go now.
    preview.srcObject = null;
    const name = nameInput.value.trim();
    // An embedded room is the embedding app's: its name and room stay out of this site's memory.
    if (!embed) {
      writePref("name", name);
      rememberRoom(room);
    }
    void media.then((opened) => showCall(app, room, name, opened, embed));
  });
  if (embed && !embed.prejoin && embed.name !== null) form.requestSubmit();
}
