// The local media of an app that uses the client library: a MediaStream the
// app owns (or none, to receive only). The library never asks for devices
// and never remembers choices; it sends what it is given, mutes by
// disabling tracks, and swaps tracks under the same senders.
import type { CallMedia, CallMediaEvents } from "../call/call-media";
import { Emitter } from "../call/emitter";

export type MediaKind = "audio" | "video";

export class AppMedia extends Emitter<CallMediaEvents> implements CallMedia {
  /** What goes to every peer: at most one audio and one video track. */
  readonly stream = new MediaStream();
  micOn = true;
  cameraOn = true;
  sharing = false;
  /** The camera, set aside while a screen is shared in its place. */
  #camera: MediaStreamTrack | null = null;

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

  get hasMic(): boolean {
    return this.stream.getAudioTracks().length > 0;
  }

  get hasCamera(): boolean {
    return (this.#camera ?? this.stream.getVideoTracks()[0]) !== undefined;
  }

  setMic(on: boolean): void {
    this.micOn = on;
    for (const track of this.stream.getAudioTracks()) track.enabled = on;
    this.emit("change");
  }

  setCamera(on: boolean): void {
    this.cameraOn = on;
    const camera = this.sharing ? this.#camera : this.stream.getVideoTracks()[0];
    if (camera) camera.enabled = on;
    this.emit("change");
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
      this.#camera = track;
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
    if (!this.sharing) this.#camera = this.stream.getVideoTracks()[0] ?? null;
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
    if (this.#camera) this.stream.addTrack(this.#camera);
    this.emit("track", "video", this.#camera);
    this.#camera = null;
    this.emit("change");
  }
}
