// The call screen, put together: the library's Room (the call's facts and
// controls), one Store of those facts under this page's view state, and
// views that render from it (stage, control bar, panel host, people,
// toasts). Every control is a real button with a fixed
// accessible name; every state is also said in words.
import { assertNever } from "../../../protocol";
import { openRoom, Store, type LeaveReason } from "../client";
import { el, replaceChildren } from "../dom";
import type { LocalMedia } from "../media";
import { readPref } from "../prefs";
import { connectionCheckDialog } from "../ui/connection-check";
import { describeDetails } from "../ui/details-words";
import { dialog, shortcutList } from "../ui/dialogs";
import { icon } from "../ui/icons";
import { KnockPrompt } from "../ui/knock-prompt";
import { PanelHost } from "../ui/panel-host";
import { PeoplePanel } from "../ui/people-panel";
import { Stage, peerWords } from "../ui/stage";
import { Toasts } from "../ui/toasts";
import { Toolbar } from "../ui/toolbar";
import { callControls } from "./call-controls";
import { Chat } from "./chat";
import { canChooseSpeaker, devicePicker } from "./device-picker";
import { FileTransfers } from "./files";
import { reload, showRoomFull, showState } from "./states";
import { bridgeCall, type Embed } from "./embed";
import { initialView, spotlight, viewOf, type CallState, type PanelName } from "./view-state";

export function showCall(app: HTMLElement, room: string, name: string, media: LocalMedia, embed: Embed | null): void {
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" }, "Joining…");
  const announce = (text: string) => (status.textContent = text);
  // The socket opens first: joining is what the person waits for, the rest
  // of the screen can be built while the room answers.
  const search = new URLSearchParams(location.search);
  // Test switches: `?relay=1` forces TURN, `?budget=off` lifts the sender budgets (for the benchmark).
  const call = openRoom(location.origin, room, {
    name,
    media,
    relayOnly: search.get("relay") === "1",
    senderBudgets: search.get("budget") !== "off",
  });
  if (embed) bridgeCall(embed, call, media);
  // The call's facts and this page's view of them in one value for the views.
  const store = new Store<CallState>(viewOf(call.facts, initialView(media.problem !== null)));
  call.on("change", (facts) => store.update((s) => viewOf(facts, s)));
  /** The name of a person in the call (ourselves included), for words about them. */
  const nameOf = (id: string | null) => {
    if (id !== null && id === call.self.id) return "you";
    return (id !== null && store.get().people.find((p) => p.id === id)?.name) || "someone";
  };
  const setPanel = (panel: PanelName | null) =>
    store.update((s) => ({ ...s, panel, unread: panel === "chat" ? 0 : s.unread }));
  const togglePanel = (panel: PanelName) => setPanel(store.get().panel === panel ? null : panel);

  // ---- features -------------------------------------------------------------
  const toasts = new Toasts();
  const chat = new Chat(
    () => name || "You",
    (text) => call.chat(text),
    announce,
    () => store.update((s) => (s.panel === "chat" ? s : { ...s, unread: s.unread + 1 })),
  );
  const files = new FileTransfers(call, announce, () => {
    if (store.get().panel === null) setPanel("files");
  });
  const people = new PeoplePanel((id, verified) => call.setVerified(id, verified));
  const panels = new PanelHost(
    [
      { name: "chat", title: "Chat", body: chat.body, opened: () => chat.focus() },
      { name: "people", title: "People", body: people.root },
      { name: "files", title: "Files", body: files.body },
    ],
    () => setPanel(null),
  );
  const stage = new Stage({
    togglePin: (person) =>
      store.update((s) => {
        if (spotlight(s) !== person.id) return { ...s, pinned: person.id };
        // Unpinning a screen share that pinned itself: it stays unpinned until it stops.
        return s.pinned === person.id ? { ...s, pinned: null } : { ...s, unpinnedShare: person.id };
      }),
    details: (person, show) =>
      call.watchDetails(person.id, (details) => {
        if (!details) return show("No connection details.");
        const now = store.get().people.find((p) => p.id === person.id);
        show(describeDetails(now ? peerWords(now.link, now.path) : "gone", details));
      }),
  });

  // ---- dialogs -----------------------------------------------------------------
  const check = connectionCheckDialog(async () => call.iceServers());
  const checkButton = el("button", { type: "button" }, "Check connection");
  checkButton.addEventListener("click", () => {
    helpDialog.close();
    check.run();
  });
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
  const refreshRecipients = () =>
    replaceChildren(
      recipient,
      el("option", { value: "" }, "Everyone"),
      ...[...call.peers.values()].map((p) => el("option", { value: p.id }, p.name)),
    );
  sendFiles.addEventListener("click", () => {
    const chosen = [...(fileInput.files ?? [])];
    if (chosen.length === 0 || call.peers.size === 0) {
      announce(chosen.length === 0 ? "Choose a file first" : "Nobody to send to yet");
      return;
    }
    files.send(chosen, recipient.value || null);
    fileInput.value = "";
    fileDialog.close();
  });
  const applySpeaker = (deviceId: string) => {
    if (!canChooseSpeaker || !deviceId) return;
    for (const video of stage.root.querySelectorAll("video")) {
      void (video as HTMLVideoElement & { setSinkId(id: string): Promise<void> }).setSinkId(deviceId).catch(() => {});
    }
  };

  // ---- controls --------------------------------------------------------------
  const controls = callControls({
    room,
    media,
    store,
    call,
    announce,
    togglePanel,
    sendFile: () => {
      refreshRecipients();
      fileDialog.showModal();
    },
    settings: () =>
      void devicePicker(media, "settings", applySpeaker).then((picker) => {
        replaceChildren(
          settingsBody,
          picker.root.childElementCount > 0 ? picker.root : el("p", {}, "No devices to choose from."),
        );
        settingsDialog.showModal();
      }),
    help: () => helpDialog.showModal(),
    pictureInPicture: () => {
      const state = store.get();
      // The tile on the stage, else whoever is speaking, else the first of the others.
      const others = state.people.filter((p) => !p.self);
      const key = spotlight(state) ?? (others.find((p) => p.speaking) ?? others[0])?.id;
      const video = stage.root.querySelector<HTMLVideoElement>(
        `figure.tile[data-peer-id="${CSS.escape(key ?? "")}"] video`,
      );
      void video?.requestPictureInPicture().catch(() => announce("Picture in picture is not available now"));
    },
  });
  const toolbar = new Toolbar(controls.specs);
  const helpDialog = dialog(
    "Keyboard shortcuts",
    shortcutList(controls.shortcuts),
    el("p", {}, "Shortcuts work when the focus is not in a text field."),
    checkButton,
  );

  // ---- the lock ----------------------------------------------------------------
  const knocks = new KnockPrompt((peerId, admit) => (admit ? call.admit(peerId) : call.deny(peerId)));
  call.on("knock", (peer) => {
    announce(`${peer.name} wants to join: admit or deny them`);
    knocks.ring();
  });
  const lockText = el("span", {});
  const lockNote = el("p", { class: "lock-note", hidden: true }, icon("lock"), lockText);
  // While we knock, the call waits behind this screen; Cancel stops knocking.
  const cancel = el("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => call.leave());
  const waitingScreen = el(
    "section",
    { class: "panel", hidden: true },
    el("h1", {}, "This room is locked"),
    el("p", { role: "status" }, "Waiting for someone in the room to let you in"),
    cancel,
  );

  // ---- the screen --------------------------------------------------------------
  const banner = el("p", { class: "banner", role: "alert", hidden: true });
  const receiveOnly = media.problem
    ? el("p", { class: "note" }, `${media.problem.message} You are in receive-only mode: you see and hear the others.`)
    : null;
  const callScreen = el(
    "section",
    { class: "call" },
    el("header", { class: "call-bar" }, el("h1", {}, el("code", {}, room)), lockNote, status),
    banner,
    knocks.root,
    receiveOnly,
    el("div", { class: "stage" }, stage.root, panels.root),
    toasts.root,
    toolbar.root,
    helpDialog,
    settingsDialog,
    fileDialog,
    check.dialog,
  );
  replaceChildren(app, callScreen, waitingScreen);

  const render = (state: CallState) => {
    if (waitingScreen.hidden === state.waiting) {
      waitingScreen.hidden = !state.waiting;
      callScreen.hidden = state.waiting;
      if (state.waiting) cancel.focus();
    }
    knocks.update(state);
    lockNote.hidden = !state.lock.locked;
    // Renders come many times a second (speaking): the DOM is written only when the words change.
    const locked = state.lock.locked ? `Locked by ${nameOf(state.lock.by)}` : "";
    if (locked && lockText.textContent !== locked) lockText.textContent = locked;
    stage.update(state);
    toolbar.update(state);
    // The list is built only while it can be seen (opening it is a change of state too).
    if (state.panel === "people") people.update(state);
    panels.update(state.panel);
    const { phase, nextTryAt, attempt } = state.signaling;
    banner.hidden = phase !== "reconnecting";
    if (phase === "reconnecting") {
      const next = nextTryAt ? Math.max(0, Math.round((nextTryAt - Date.now()) / 1000)) : 0;
      banner.textContent = nextTryAt
        ? `Lost the connection to the room. Calls in progress go on. Reconnecting: attempt ${attempt}, next try in ${next} s.`
        : "Lost the connection to the room. Calls in progress go on. Reconnecting now…";
    }
  };
  // One render for a burst of changes (a connection that comes up changes the
  // state several times in one task): queued as a microtask, so the screen is
  // still up to date before anything else runs.
  let queued = false;
  const unsubscribe = store.subscribe((state) => {
    if (!queued) {
      queued = true;
      queueMicrotask(() => {
        queued = false;
        render(store.get());
      });
    }
    // A share that was unpinned and then stopped pins itself again next time.
    const sharer = state.unpinnedShare;
    if (sharer !== null && !state.people.some((p) => p.id === sharer && p.screen)) {
      store.update((s) => ({ ...s, unpinnedShare: null }));
    }
  });
  render(store.get());

  call.on("stream", () => applySpeaker(readPref("audiooutput")));
  call.on("chat", (text, from) => chat.receive(from.name, text));
  // The call says what happened; the page says it in words (and comings and goings in a toast too).
  const tell = (text: string, toast = false) => {
    announce(text);
    if (toast) toasts.show(text);
  };
  call.on("joined", (self) => tell(`You joined as ${self.name}`));
  call.on("resumed", () => tell("Reconnected to the room"));
  call.on("peer-joined", (peer) => {
    tell(`${peer.name} joined`, true);
    refreshRecipients();
  });
  call.on("peer-left", (peer) => {
    tell(`${peer.name} left`, true);
    refreshRecipients();
  });
  call.on("locked", ({ locked, by }) => tell(`${nameOf(by)} ${locked ? "locked" : "unlocked"} the room`, true));
  call.on("blocked", (peer) =>
    tell(
      `Can't connect to ${peer.name}: your networks block a direct call, and this server has no relay (TURN) to go through`,
    ),
  );
  call.on("safety-code-changed", (peer) => tell(`The safety code with ${peer.name} changed`));
  call.on("knock-refused", (code) =>
    tell(
      code === "unknown-knock"
        ? "Someone else answered that knock"
        : "The room is full: they keep waiting until someone leaves",
    ),
  );

  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    if (event.key === "Escape") {
      if (toolbar.menuOpen) toolbar.closeMenu();
      else if (store.get().panel !== null) setPanel(null);
      else return;
      event.preventDefault();
      return;
    }
    const target = event.target as HTMLElement | null;
    if (target?.closest("input, textarea, select, [contenteditable]")) return;
    if (!controls.shortcut(event.key)) return;
    event.preventDefault();
  };
  document.addEventListener("keydown", onKey);

  call.on("left", (reason: LeaveReason) => {
    unsubscribe();
    controls.stop();
    stage.destroy();
    media.stop();
    document.removeEventListener("keydown", onKey);
    const again = { label: "Ask again", run: reload };
    switch (reason) {
      case "room-full":
        showRoomFull(app, null);
        return;
      case "denied":
        document.title = "Not let in · Tincan";
        showState(app, "You were not let in", "Someone in the room said no to your knock.", again);
        return;
      case "lobby-full":
        showState(app, "Too many people are waiting", "Nobody more can knock at this room now. Try again soon.", again);
        return;
      case "left":
        document.title = "Left · Tincan";
        if (store.get().waiting) showState(app, "You stopped waiting", "Nobody in the room was asked again.", again);
        else
          showState(app, "You left the room", "Your camera and microphone are off.", { label: "Rejoin", run: reload });
        return;
      case "replaced":
        showState(app, "You joined from somewhere else", "This room is open in another tab or window.", {
          label: "Rejoin",
          run: reload,
        });
        return;
      default:
        assertNever(reason);
    }
  });
}
