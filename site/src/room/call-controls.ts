// The control bar's controls, in one list: what each is called, its icon,
// whether it is a toggle and how it reads the state, its shortcut, and
// whether this browser can do it at all. The toolbar and the keyboard both
// work from this list.
import { selfOf, type Room, type Store } from "../client";
import { LocalMedia } from "../media";
import type { ControlSpec } from "../ui/toolbar";
import type { CallState, PanelName } from "./view-state";

export interface ControlDeps {
  room: string;
  media: LocalMedia;
  store: Store<CallState>;
  call: Room;
  announce(text: string): void;
  togglePanel(panel: PanelName): void;
  sendFile(): void;
  settings(): void;
  help(): void;
  pictureInPicture(): void;
}

export function callControls(d: ControlDeps): {
  specs: ControlSpec[];
  /** Every key that works something, for Help. */
  shortcuts: { key: string; what: string }[];
  /** Works the control a key stands for; false if none does. */
  shortcut(key: string): boolean;
  stop(): void;
} {
  const { media, store, call, announce } = d;
  const toggleMic = () => {
    if (!media.hasMic) return;
    media.setMic(!media.micOn);
    announce(media.micOn ? "Microphone on" : "Microphone off");
  };
  const toggleCamera = () => {
    if (!media.hasCamera) return;
    media.setCamera(!media.cameraOn);
    announce(media.cameraOn ? "Camera on" : "Camera off");
  };
  const toggleHand = () => {
    const raised = !selfOf(store.get()).hand;
    call.raiseHand(raised);
    announce(raised ? "Hand raised" : "Hand lowered");
  };
  const toggleShare = () => {
    if (media.sharing) {
      media.stopShare();
      return;
    }
    media
      .startShare()
      .then(() => media.sharing && announce("Sharing your screen"))
      .catch(() => announce("Screen sharing was not started"));
  };
  // The browser's own "Stop sharing" ends a share as well as the button does.
  let sharing = media.sharing;
  const stopWatching = media.on("change", () => {
    if (sharing && !media.sharing) announce("Screen sharing stopped");
    sharing = media.sharing;
  });
  const copyLink = () => {
    const link = `${location.origin}/${d.room}`;
    const fallback = () => announce(`Copy this link: ${link}`);
    if (!navigator.clipboard) fallback();
    else navigator.clipboard.writeText(link).then(() => announce("Link copied"), fallback);
  };

  const specs: ControlSpec[] = [
    {
      label: "Microphone",
      icon: "mic",
      offIcon: "mic-off",
      shortcut: { key: "M", what: "Microphone on or off" },
      pressed: () => media.hasMic && media.micOn,
      enabled: () => media.hasMic,
      run: toggleMic,
    },
    {
      label: "Camera",
      icon: "camera",
      offIcon: "camera-off",
      shortcut: { key: "V", what: "Camera on or off" },
      pressed: () => media.hasCamera && media.cameraOn,
      enabled: () => media.hasCamera,
      run: toggleCamera,
    },
    {
      label: "Share screen",
      icon: "screen",
      available: () => LocalMedia.canShare,
      pressed: () => media.sharing,
      run: toggleShare,
    },
    {
      label: "Raise hand",
      icon: "hand",
      shortcut: { key: "H", what: "Raise or lower your hand" },
      pressed: (s) => selfOf(s).hand,
      run: toggleHand,
    },
    {
      label: "Chat",
      icon: "chat",
      expanded: (s) => s.panel === "chat",
      badge: (s) => s.unread,
      run: () => d.togglePanel("chat"),
    },
    { label: "People", icon: "people", expanded: (s) => s.panel === "people", run: () => d.togglePanel("people") },
    {
      label: "Files",
      icon: "files",
      secondary: true,
      expanded: (s) => s.panel === "files",
      run: () => d.togglePanel("files"),
    },
    {
      label: "Lock room",
      icon: "lock",
      secondary: true,
      pressed: (s) => s.lock.locked,
      run: () => (store.get().lock.locked ? call.unlock() : call.lock()),
    },
    { label: "Send file", icon: "upload", secondary: true, run: d.sendFile },
    { label: "Copy link", icon: "link", secondary: true, run: copyLink },
    {
      label: "Picture in picture",
      icon: "pip",
      secondary: true,
      available: () => typeof document !== "undefined" && document.pictureInPictureEnabled === true,
      run: d.pictureInPicture,
    },
    { label: "Settings", icon: "settings", secondary: true, run: d.settings },
    { label: "Help", icon: "help", secondary: true, shortcut: { key: "?", what: "This help" }, run: d.help },
    { label: "Leave", icon: "leave", danger: true, run: () => call.leave() },
  ];
  // The keys come from the specs, so Help lists exactly what works.
  const keyed = specs.filter((spec) => spec.shortcut !== undefined);
  return {
    specs,
    shortcuts: [...keyed.map((spec) => spec.shortcut!), { key: "Escape", what: "Close the open panel or menu" }],
    shortcut: (key) => {
      const spec = keyed.find((s) => s.shortcut!.key.toLowerCase() === key.toLowerCase());
      spec?.run();
      return spec !== undefined;
    },
    stop: stopWatching,
  };
}
