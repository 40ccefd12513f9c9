// This page's own camera, microphone and screen. Muting disables a track
// (the peers keep their connection and get silence or black); switching a
// device or sharing the screen swaps the track under the same sender, so
// nothing is renegotiated unless a kind of media appears for the first time.
import { SentMedia } from "./client";
import { readPref, writePref } from "./prefs";

export type DeviceKind = "audioinput" | "videoinput";

export interface MediaProblem {
  /** denied: the user or browser blocked access; missing: no such device; unsupported: no API. */
  kind: "denied" | "missing" | "unsupported";
  message: string;
}

const VIDEO = { width: { ideal: 640 }, height: { ideal: 360 } };

function constraint(deviceId: string): MediaTrackConstraints {
  return deviceId ? { deviceId: { exact: deviceId } } : {};
}

function problemOf(error: unknown): MediaProblem {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return {
      kind: "denied",
      message:
        "Camera and microphone are blocked for this site. To be seen and heard, allow them in the browser's site settings (the icon left of the address) and reload.",
    };
  }
  return { kind: "missing", message: "No camera or microphone was found." };
}

export class LocalMedia extends SentMedia {
  problem: MediaProblem | null = null;

  /** Whether this browser can share a screen at all (phones mostly cannot). */
  static get canShare(): boolean {
    return typeof navigator.mediaDevices?.getDisplayMedia === "function";
  }

  static async open(): Promise<LocalMedia> {
    const media = new LocalMedia();
    if (!navigator.mediaDevices?.getUserMedia) {
      media.problem = { kind: "unsupported", message: "This browser cannot use a camera or microphone here." };
      return media;
    }
    const audio = constraint(readPref("audioinput"));
    const video = { ...VIDEO, ...constraint(readPref("videoinput")) };
    try {
      const stream = await navigator.mediaDevices
        .getUserMedia({ audio, video })
        // A remembered device that is gone: fall back to the defaults.
        .catch((error: unknown) =>
          error instanceof DOMException && error.name === "OverconstrainedError"
            ? navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO })
            : Promise.reject(error),
        );
      for (const track of stream.getTracks()) media.stream.addTrack(track);
    } catch (error) {
      media.problem = problemOf(error);
    }
    return media;
  }

  async devices(kind: DeviceKind | "audiooutput"): Promise<MediaDeviceInfo[]> {
    const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    return all.filter((d) => d.kind === kind && d.deviceId !== "");
  }

  /** Switches camera or microphone live; remembered for next time. */
  async useDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    writePref(kind, deviceId);
    const stream = await navigator.mediaDevices.getUserMedia(
      kind === "audioinput" ? { audio: constraint(deviceId) } : { video: { ...VIDEO, ...constraint(deviceId) } },
    );
    const track = stream.getTracks()[0]!;
    // While a screen is shared, the new camera waits aside; the old one is ours to stop either way.
    this.replaceTrack(kind === "audioinput" ? "audio" : "video", track)?.stop();
  }

  async startShare(): Promise<void> {
    if (this.sharing) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const screen = display.getVideoTracks()[0];
    if (!screen) return;
    // Text and edges over motion: encoders keep the resolution and drop frames
    // instead. Browsers without contentHint (Firefox) still send it unscaled,
    // by the sender budget.
    if ("contentHint" in screen) screen.contentHint = "detail";
    this.shareScreen(screen);
  }

  stopShare(): void {
    this.stopScreen()?.stop();
  }

  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
    this.aside?.stop();
  }
}
