// The local media of an app that uses the client library: a MediaStream the
// app owns (or none, to receive only). The library never asks for devices
// and never remembers choices; it sends what it is given, mutes by
// disabling tracks, and swaps tracks under the same senders.
import { SentMedia } from "../call/call-media";

export type MediaKind = "audio" | "video";

export class AppMedia extends SentMedia {
  constructor(source: MediaStream | null) {
    super();
    const audio = source?.getAudioTracks()[0];
    const video = source?.getVideoTracks()[0];
    if (audio) this.stream.addTrack(audio);
    if (video) this.stream.addTrack(video);
    // Without a track, "on" means a track the app adds later is sent as it comes.
    this.micOn = audio?.enabled ?? true;
    this.cameraOn = video?.enabled ?? true;
  }

  /**
   * Sends `track` in place of the current one of its kind (another camera or
   * microphone), or nothing of `kind` (null). The app owns both tracks: the
   * old one is not stopped here.
   */
  replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): void {
    if (track && track.kind !== kind) throw new TypeError(`a ${track.kind} track cannot replace the ${kind} track`);
    if (kind === "video" && this.sharing) {
      // The screen stays; this camera comes back when sharing stops.
      this.aside = track;
      if (track) track.enabled = this.cameraOn;
      this.emit("change");
      return;
    }
    const old = this.stream.getTracks().find((t) => t.kind === kind);
    if (old) this.stream.removeTrack(old);
    if (track) {
      track.enabled = kind === "audio" ? this.micOn : this.cameraOn;
      this.stream.addTrack(track);
    }
    this.emit("track", kind, track);
    this.emit("change");
  }

  /** Shares `screen` (a display track the app obtained) in the camera's place until stopScreen(). */
  shareScreen(screen: MediaStreamTrack): void {
    if (screen.kind !== "video") throw new TypeError("a screen share is a video track");
    if (!this.sharing) this.aside = this.stream.getVideoTracks()[0] ?? null;
    for (const old of this.stream.getVideoTracks()) this.stream.removeTrack(old);
    this.sharing = true;
    this.stream.addTrack(screen);
    this.emit("track", "video", screen);
    this.emit("change");
    // The browser's own "Stop sharing" ends the track: the camera comes back.
    screen.addEventListener("ended", () => {
      if (this.sharing && this.stream.getVideoTracks()[0] === screen) this.stopScreen();
    });
  }

  stopScreen(): void {
    if (!this.sharing) return;
    this.sharing = false;
    for (const screen of this.stream.getVideoTracks()) this.stream.removeTrack(screen);
    if (this.aside) this.stream.addTrack(this.aside);
    this.emit("track", "video", this.aside);
    this.aside = null;
    this.emit("change");
  }
}
