// The call screen: tiles, the control bar, chat and file panels, dialogs
// and keyboard shortcuts. Every control is a real button with a fixed
// accessible name; every state is also said in words.
import { el, replaceChildren } from "../dom";
import type { LocalMedia } from "../media";
import { readPref } from "../prefs";
import { Call, type CallEnd, type Remote } from "./call";
import { Chat } from "./chat";
import { watchDetails } from "./connection-details";
import { canChooseSpeaker, devicePicker } from "./device-picker";
import { FileTransfers } from "./files";
import { SpeakingMeter } from "./speaking";
import { reload, showRoomFull, showState } from "./states";

function toggleButton(label: string, pressed: boolean, className = "toggle"): HTMLButtonElement {
  return el("button", { type: "button", class: className, "aria-pressed": String(pressed) }, label);
}

function setPressed(button: HTMLButtonElement, pressed: boolean): void {
  button.setAttribute("aria-pressed", String(pressed));
}

function dialog(title: string, ...content: (Node | string)[]): HTMLDialogElement {
  const close = el("button", { type: "button" }, "Close");
  const box = el("dialog", { "aria-label": title }, el("h2", {}, title), ...content, close);
  close.addEventListener("click", () => box.close());
  return box;
}

export function showCall(app: HTMLElement, room: string, name: string, media: LocalMedia): void {
  const grid = el("div", { class: "grid" });
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" }, "Joining…");
  const banner = el("p", { class: "banner", role: "alert", hidden: true });
  const announce = (text: string) => (status.textContent = text);

  // The socket opens first: joining is what the person waits for, the rest
  // of the screen can be built while the room answers.
  const speaking = new SpeakingMeter();
  // Test switches: `?relay=1` forces TURN, `?budget=off` lifts the sender budgets (for the benchmark).
  const search = new URLSearchParams(location.search);
  const callOptions = { relayOnly: search.get("relay") === "1", senderBudgets: search.get("budget") !== "off" };
  const call = new Call(
    room,
    name,
    media,
    {
      grid,
      announce,
      onSignaling: (state, retry) => {
        banner.hidden = state !== "reconnecting";
        if (state === "reconnecting") {
          const next = retry ? Math.max(0, Math.round((retry.nextAt - Date.now()) / 1000)) : 0;
          banner.textContent = retry
            ? `Lost the connection to the room. Calls in progress go on. Reconnecting: attempt ${retry.attempt}, next try in ${next} s.`
            : "Lost the connection to the room. Calls in progress go on. Reconnecting now…";
        }
        if (state === "connected" && !banner.hidden) banner.hidden = true;
      },
      onEnd: (reason: CallEnd) => {
        clearTimeout(startMeter);
        speaking.stop();
        media.stop();
        document.removeEventListener("keydown", onKey);
        if (reason === "room-full") showRoomFull(app, null);
        else if (reason === "left") {
          document.title = "Left · Tincan";
          showState(app, "You left the room", "Your camera and microphone are off.", { label: "Rejoin", run: reload });
        } else
          showState(app, "You joined from somewhere else", "This room is open in another tab or window.", {
            label: "Rejoin",
            run: reload,
          });
      },
    },
    callOptions,
  );

  const mic = toggleButton("Microphone", media.hasMic && media.micOn);
  const camera = toggleButton("Camera", media.hasCamera && media.cameraOn);
  mic.disabled = !media.hasMic;
  camera.disabled = !media.hasCamera;
  const share = toggleButton("Share screen", false, "share");
  share.disabled = !navigator.mediaDevices?.getDisplayMedia;
  const chatButton = el("button", { type: "button", "aria-label": "Chat", "aria-expanded": "false" }, "Chat");
  const unreadBadge = el("span", { class: "badge", "aria-hidden": "true", hidden: true });
  chatButton.append(unreadBadge);
  const sendFile = el("button", { type: "button" }, "Send file");
  const copyLink = el("button", { type: "button" }, "Copy link");
  const settings = el("button", { type: "button" }, "Settings");
  const help = el("button", { type: "button" }, "Help");
  const leave = el("button", { type: "button", class: "danger" }, "Leave");
  const toolbar = el(
    "div",
    { class: "toolbar", role: "toolbar", "aria-label": "Call controls" },
    mic,
    camera,
    share,
    chatButton,
    sendFile,
    copyLink,
    settings,
    help,
    leave,
  );

  const chat = new Chat(
    () => name || "You",
    announce,
    (count) => {
      unreadBadge.hidden = count === 0;
      unreadBadge.textContent = String(count);
      chatButton.setAttribute("aria-description", count === 0 ? "" : `${count} unread`);
    },
  );
  const files = new FileTransfers(announce);
  const receiveOnly = media.problem
    ? el("p", { class: "note" }, `${media.problem.message} You are in receive-only mode: you see and hear the others.`)
    : null;

  const helpDialog = dialog(
    "Keyboard shortcuts",
    el(
      "dl",
      { class: "shortcuts" },
      el("dt", {}, el("kbd", {}, "M")),
      el("dd", {}, "Microphone on or off"),
      el("dt", {}, el("kbd", {}, "V")),
      el("dd", {}, "Camera on or off"),
      el("dt", {}, el("kbd", {}, "?")),
      el("dd", {}, "This help"),
    ),
    el("p", {}, "Shortcuts work when the focus is not in a text field."),
  );
  const settingsBody = el("div", {});
  const settingsDialog = dialog("Devices", settingsBody);
  const fileInput = el("input", { type: "file", id: "file-input", multiple: true });
  const recipient = el("select", { id: "file-recipient" });
  const sendFiles = el("button", { type: "button", class: "primary" }, "Send");
  const fileDialog = dialog(
    "Send a file",
    el("label", { for: "file-input" }, "Files"),
    fileInput,
    el("label", { for: "file-recipient" }, "Send to"),
    recipient,
    sendFiles,
  );

  replaceChildren(
    app,
    el(
      "section",
      { class: "call" },
      el("header", { class: "call-bar" }, el("h1", {}, el("code", {}, room)), status),
      banner,
      receiveOnly,
      el("div", { class: "stage" }, grid, el("div", { class: "panels" }, chat.panel, files.panel)),
      toolbar,
      helpDialog,
      settingsDialog,
      fileDialog,
    ),
  );

  const speaker = readPref("audiooutput");
  const applySpeaker = (deviceId: string) => {
    if (!canChooseSpeaker || !deviceId) return;
    for (const video of grid.querySelectorAll("video")) {
      void (video as HTMLVideoElement & { setSinkId(id: string): Promise<void> }).setSinkId(deviceId).catch(() => {});
    }
  };
  // Audio analysis starts once the call is set up: joining comes first.
  const startMeter = setTimeout(
    () => speaking.watch("self", media.stream, (on) => call.localTile.setSpeaking(on)),
    1_000,
  );

  const refreshRecipients = () => {
    recipient.replaceChildren(
      el("option", { value: "" }, "Everyone"),
      ...call.peers().map((r) => el("option", { value: r.info.id }, r.info.name)),
    );
  };
  call.onChat((remote, text) => chat.receive(remote.info.name, text));
  call.onPeer((event, remote: Remote) => {
    if (event === "added") {
      chat.attach(remote);
      files.attach(remote);
      speaking.watchConnection(remote.info.id, remote.link.pc, (on) => remote.tile.setSpeaking(on));
      remote.link.pc.addEventListener("track", () => applySpeaker(readPref("audiooutput")));
      remote.tile.onDetails((show) =>
        watchDetails(remote.link.pc, () => remote.tile.root.querySelector(".tile-status")?.textContent ?? "", show),
      );
    } else {
      chat.detach(remote);
      files.detach(remote);
      speaking.unwatch(remote.info.id);
    }
    refreshRecipients();
  });
  applySpeaker(speaker);

  // ---- controls ----
  const toggleMic = () => {
    if (mic.disabled) return;
    media.setMic(!media.micOn);
    call.publishState();
    setPressed(mic, media.micOn);
    announce(media.micOn ? "Microphone on" : "Microphone off");
  };
  const toggleCamera = () => {
    if (camera.disabled) return;
    media.setCamera(!media.cameraOn);
    call.publishState();
    setPressed(camera, media.cameraOn);
    announce(media.cameraOn ? "Camera on" : "Camera off");
  };
  mic.addEventListener("click", toggleMic);
  camera.addEventListener("click", toggleCamera);
  media.onShareEnded = () => {
    setPressed(share, false);
    announce("Screen sharing stopped");
  };
  share.addEventListener("click", () => {
    if (media.sharing) {
      media.stopShare();
      setPressed(share, false);
      announce("Screen sharing stopped");
      return;
    }
    media
      .startShare()
      .then(() => {
        setPressed(share, media.sharing);
        if (media.sharing) announce("Sharing your screen");
      })
      .catch(() => announce("Screen sharing was not started"));
  });
  chatButton.addEventListener("click", () => {
    chat.toggle();
    chatButton.setAttribute("aria-expanded", String(chat.open));
  });
  sendFile.addEventListener("click", () => {
    refreshRecipients();
    fileDialog.showModal();
  });
  sendFiles.addEventListener("click", () => {
    const chosen = [...(fileInput.files ?? [])];
    const to = call.peers().find((r) => r.info.id === recipient.value) ?? null;
    if (chosen.length === 0 || call.peers().length === 0) {
      announce(chosen.length === 0 ? "Choose a file first" : "Nobody to send to yet");
      return;
    }
    files.send(chosen, to);
    fileInput.value = "";
    fileDialog.close();
  });
  copyLink.addEventListener("click", () => {
    const link = `${location.origin}/${room}`;
    const fallback = () => announce(`Copy this link: ${link}`);
    if (!navigator.clipboard) fallback();
    else navigator.clipboard.writeText(link).then(() => announce("Link copied"), fallback);
  });
  settings.addEventListener("click", () => {
    void devicePicker(media, "settings", applySpeaker).then((picker) => {
      settingsBody.replaceChildren(
        picker.root.childElementCount > 0 ? picker.root : el("p", {}, "No devices to choose from."),
      );
      settingsDialog.showModal();
    });
  });
  help.addEventListener("click", () => helpDialog.showModal());
  leave.addEventListener("click", () => call.leave());

  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest("input, textarea, select, [contenteditable]") || document.querySelector("dialog[open]")) return;
    if (event.key === "m" || event.key === "M") toggleMic();
    else if (event.key === "v" || event.key === "V") toggleCamera();
    else if (event.key === "?") helpDialog.showModal();
    else return;
    event.preventDefault();
  };
  document.addEventListener("keydown", onKey);
}
