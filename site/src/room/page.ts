// The room page: checks, the pre-join screen with preview and devices, then
// the call.
import { el, replaceChildren } from "../dom";
import { LocalMedia } from "../media";
import { readPref, writePref } from "../prefs";
import { devicePicker } from "./device-picker";
import { showCall } from "./in-call";
import { showRoomFull, showState } from "./states";

interface RoomStatus {
  peers: number;
  capacity: number;
}

async function fetchRoomStatus(room: string): Promise<RoomStatus | null> {
  try {
    const response = await fetch(`/api/rooms/${encodeURIComponent(room)}`);
    return response.ok ? ((await response.json()) as RoomStatus) : null;
  } catch {
    return null;
  }
}

export async function showRoom(app: HTMLElement, room: string): Promise<void> {
  document.title = `${room} · Tincan`;
  if (typeof RTCPeerConnection === "undefined") {
    showState(
      app,
      "This browser cannot make calls",
      "Tincan needs WebRTC, which this browser does not offer (or has switched off). Try a current Firefox, Chrome, Edge or Safari.",
      null,
    );
    return;
  }
  const status = await fetchRoomStatus(room);
  if (status && status.peers >= status.capacity) {
    showRoomFull(app, status.capacity);
    return;
  }

  const preview = el("video", { class: "preview mirrored", autoplay: true, playsinline: true });
  preview.muted = true;
  const mediaNote = el("p", { class: "note", role: "status" }, "Starting your camera…");
  const nameInput = el("input", { id: "display-name", name: "name", autocomplete: "nickname", maxlength: "40" });
  nameInput.value = readPref("name");
  const joinButton = el("button", { type: "submit", class: "primary" }, "Join");
  const devices = el("div", {});
  const roomNote = el(
    "p",
    { class: "note" },
    !status ? "" : status.peers === 0 ? "Nobody is here yet." : `${status.peers} already here.`,
  );
  const form = el(
    "form",
    { class: "prejoin" },
    el("h1", {}, "Room ", el("code", {}, room)),
    preview,
    mediaNote,
    devices,
    el("label", { for: "display-name" }, "Your name"),
    nameInput,
    joinButton,
    roomNote,
  );
  replaceChildren(app, el("section", { class: "panel" }, form));

  const media = LocalMedia.open().then(async (opened) => {
    if (opened.problem) {
      preview.hidden = true;
      mediaNote.textContent = `${opened.problem.message} You can still join: you will see and hear the others.`;
    } else {
      preview.srcObject = opened.stream;
      mediaNote.textContent = "This is how you will look.";
      devices.replaceWith((await devicePicker(opened, "prejoin", () => {})).root);
    }
    return opened;
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    joinButton.disabled = true;
    const name = nameInput.value.trim();
    writePref("name", name);
    void media.then((opened) => showCall(app, room, name, opened));
  });
}
