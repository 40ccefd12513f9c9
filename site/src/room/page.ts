// The room page: a pre-join screen with a preview, then the call, then
// whatever state the call ended in.
import { el, replaceChildren } from "../dom";
import { openLocalMedia, type LocalMedia } from "../media";
import { Call, type CallEnd } from "./call";

const NAME_KEY = "tincan:name";

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

function readSavedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? "";
  } catch {
    return "";
  }
}

function saveName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private mode or storage disabled: the name is simply not remembered.
  }
}

function endPanel(title: string, text: string, action: { label: string; run(): void }): HTMLElement {
  const button = el("button", { type: "button", class: "primary" }, action.label);
  button.addEventListener("click", action.run);
  return el(
    "section",
    { class: "panel" },
    el("h1", {}, title),
    el("p", {}, text),
    button,
    el("p", {}, el("a", { href: "/" }, "Back to the start page")),
  );
}

export async function showRoom(app: HTMLElement, room: string): Promise<void> {
  document.title = `${room} · Tincan`;
  if (typeof RTCPeerConnection === "undefined") {
    replaceChildren(
      app,
      el(
        "section",
        { class: "panel" },
        el("h1", {}, "This browser cannot make calls"),
        el("p", {}, "Tincan needs WebRTC. Try a current Firefox, Chrome, Edge or Safari."),
      ),
    );
    return;
  }

  const preview = el("video", { class: "preview mirrored", autoplay: true, playsinline: true });
  preview.muted = true;
  const mediaNote = el("p", { class: "note", role: "status" }, "Starting your camera…");
  const nameInput = el("input", { id: "display-name", name: "name", autocomplete: "nickname", maxlength: "40" });
  nameInput.value = readSavedName();
  const joinButton = el("button", { type: "submit", class: "primary" }, "Join");
  const roomNote = el("p", { class: "note", role: "status" });
  const form = el(
    "form",
    { class: "prejoin" },
    el("h1", {}, "Room ", el("code", {}, room)),
    preview,
    mediaNote,
    el("label", { for: "display-name" }, "Your name"),
    nameInput,
    joinButton,
    roomNote,
  );
  replaceChildren(app, el("section", { class: "panel" }, form));

  const mediaReady = openLocalMedia().then((media) => {
    if (media.kind === "camera") {
      preview.srcObject = media.stream;
      mediaNote.textContent = "This is how you will look.";
    } else {
      preview.hidden = true;
      mediaNote.textContent = `${media.reason} You will join receive-only.`;
    }
    return media;
  });

  void fetchRoomStatus(room).then((status) => {
    if (status && status.peers >= status.capacity) {
      roomNote.textContent = `This room is full (${status.capacity} people). You can try again when someone leaves.`;
    } else if (status) {
      roomNote.textContent = status.peers === 0 ? "Nobody is here yet." : `${status.peers} already here.`;
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    joinButton.disabled = true;
    const name = nameInput.value.trim();
    saveName(name);
    void mediaReady.then((media) => joinCall(app, room, name, media));
  });
}

function joinCall(app: HTMLElement, room: string, name: string, media: LocalMedia): void {
  const grid = el("div", { class: "grid" });
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" }, "Joining…");
  const leaveButton = el("button", { type: "button", class: "danger" }, "Leave");
  const receiveOnly =
    media.kind === "none" ? el("p", { class: "note" }, `${media.reason} You are in receive-only mode.`) : null;
  replaceChildren(
    app,
    el(
      "section",
      { class: "call" },
      el("header", { class: "call-bar" }, el("h1", {}, el("code", {}, room)), status, leaveButton),
      receiveOnly,
      grid,
    ),
  );

  const stopMedia = () => {
    if (media.kind === "camera") for (const track of media.stream.getTracks()) track.stop();
  };
  const rejoin = { label: "Rejoin", run: () => location.reload() };
  const relayOnly = new URLSearchParams(location.search).get("relay") === "1";
  const call = new Call(
    room,
    name,
    media,
    {
      grid,
      announce: (text) => {
        status.textContent = text;
      },
      onEnd: (reason: CallEnd) => {
        stopMedia();
        const panels: Record<CallEnd, HTMLElement> = {
          left: endPanel("You left the room", "Your camera and microphone are off.", rejoin),
          "room-full": endPanel("This room is full", "Every seat is taken. Try again when someone leaves.", {
            label: "Try again",
            run: rejoin.run,
          }),
          replaced: endPanel("You joined from somewhere else", "This room is open in another tab or window.", rejoin),
        };
        replaceChildren(app, panels[reason]);
      },
    },
    relayOnly,
  );
  leaveButton.addEventListener("click", () => call.leave());
}
