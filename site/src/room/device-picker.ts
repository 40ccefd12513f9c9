// Choosing camera, microphone and speaker: select elements with labels,
// filled from the browser's device list, switching live.
import { el } from "../dom";
import type { DeviceKind, LocalMedia } from "../media";
import { readPref, writePref } from "../prefs";

const LABELS: Record<DeviceKind | "audiooutput", string> = {
  videoinput: "Camera",
  audioinput: "Microphone",
  audiooutput: "Speaker",
};

/** Whether this browser can choose where audio plays. */
export const canChooseSpeaker = typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;

export interface DevicePicker {
  root: HTMLElement;
}

/**
 * Selects for the devices this page can use. `onSpeaker` applies an output
 * device to the page's media elements.
 */
export async function devicePicker(
  media: LocalMedia,
  idPrefix: string,
  onSpeaker: (deviceId: string) => void,
): Promise<DevicePicker> {
  const root = el("div", { class: "devices" });
  const kinds: (DeviceKind | "audiooutput")[] = [
    "videoinput",
    "audioinput",
    ...(canChooseSpeaker ? (["audiooutput"] as const) : []),
  ];
  for (const kind of kinds) {
    const devices = await media.devices(kind);
    if (devices.length === 0) continue;
    const id = `${idPrefix}-${kind}`;
    const select = el("select", { id });
    const current = kind === "audiooutput" ? readPref(kind) : currentDevice(media, kind);
    devices.forEach((device, i) => {
      const option = el("option", { value: device.deviceId }, device.label || `${LABELS[kind]} ${i + 1}`);
      option.selected = device.deviceId === current;
      select.append(option);
    });
    select.addEventListener("change", () => {
      if (kind === "audiooutput") {
        writePref(kind, select.value);
        onSpeaker(select.value);
      } else {
        void media.useDevice(kind, select.value).catch(() => {
          select.value = current;
        });
      }
    });
    root.append(el("label", { for: id }, LABELS[kind]), select);
  }
  // Firefox lists no speakers until the user picks one in its own chooser.
  if (canChooseSpeaker && !root.querySelector(`#${idPrefix}-audiooutput`) && speakerChooser()) {
    root.append(chooseSpeakerButton(idPrefix, onSpeaker));
  }
  return { root };
}

type SpeakerChooser = (options?: { deviceId?: string }) => Promise<MediaDeviceInfo>;

/** The browser's own speaker chooser (selectAudioOutput), where there is one. */
function speakerChooser(): SpeakerChooser | null {
  const devices = navigator.mediaDevices as (MediaDevices & { selectAudioOutput?: SpeakerChooser }) | undefined;
  return typeof devices?.selectAudioOutput === "function" ? devices.selectAudioOutput.bind(devices) : null;
}

function chooseSpeakerButton(idPrefix: string, onSpeaker: (deviceId: string) => void): HTMLElement {
  const id = `${idPrefix}-speaker`;
  const button = el("button", { type: "button", id }, "Choose speaker…");
  const note = el("span", { class: "note", "aria-live": "polite" });
  button.addEventListener("click", () => {
    const remembered = readPref("audiooutput");
    speakerChooser()!(remembered ? { deviceId: remembered } : {})
      .then((device) => {
        writePref("audiooutput", device.deviceId);
        onSpeaker(device.deviceId);
        note.textContent = device.label || "Speaker chosen";
      })
      .catch(() => (note.textContent = "No other speaker was chosen."));
  });
  return el("div", { class: "speaker-choice" }, el("label", { for: id }, LABELS.audiooutput), button, note);
}

function currentDevice(media: LocalMedia, kind: DeviceKind): string {
  const track = media.stream.getTracks().find((t) => t.kind === (kind === "audioinput" ? "audio" : "video"));
  return track?.getSettings().deviceId ?? readPref(kind);
}
