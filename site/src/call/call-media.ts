// What a call sends, whoever owns the tracks: an app's own MediaStream (the
// client library's `media` option) or the room page's LocalMedia (devices,
// remembered choices, the screen picker), which builds on this. The call
// reads the facts it publishes to the peers and hears when a track is
// swapped.
import { Emitter } from "./emitter";

export type MediaKind = "audio" | "video";

export type CallMediaEvents = {
  /** The track of a kind was replaced, appeared or went (for every peer connection). */
  track: [MediaKind, MediaStreamTrack | null];
  /** Microphone, camera or sharing changed. */
  change: [];
};

export interface CallMedia extends Pick<Emitter<CallMediaEvents>, "on"> {
  /** The tracks this end sends: a microphone, and a camera or a screen. */
  readonly stream: MediaStream;
  readonly hasMic: boolean;
  readonly hasCamera: boolean;
  readonly micOn: boolean;
  readonly cameraOn: boolean;
  readonly sharing: boolean;
}

/**
 * One stream of at most a microphone and a camera (or a screen in the
 * camera's place), muted by disabling tracks so the peers keep their
 * senders, and swapped under the same senders. It never asks for devices
 * and never stops a track: whoever gave a track stops it (the displaced
 * track is handed back).
 */
export class SentMedia extends Emitter<CallMediaEvents> implements CallMedia {
  readonly stream = new MediaStream();
  micOn = true;
  cameraOn = true;
  sharing = false;
  /** The camera, set aside while a screen is shared in its place. */
  #aside: MediaStreamTrack | null = null;

  /** Sends `source`'s first audio and video tracks (none: receive only, until tracks are given). */
  constructor(source: MediaStream | null = null) {
    super();
    const audio = source?.getAudioTracks()[0];
    const video = source?.getVideoTracks()[0];
    if (audio) this.stream.addTrack(audio);
    if (video) this.stream.addTrack(video);
    // Without a track, "on" means a track added later is sent as it comes.
    this.micOn = audio?.enabled ?? true;
    this.cameraOn = video?.enabled ?? true;
  }

  get hasMic(): boolean {
    return this.stream.getAudioTracks().length > 0;
  }

  get hasCamera(): boolean {
    return (this.#aside ?? this.stream.getVideoTracks()[0]) !== undefined;
  }

  setMic(on: boolean): void {
    this.micOn = on;
    for (const track of this.stream.getAudioTracks()) track.enabled = on;
    this.emit("change");
  }

  setCamera(on: boolean): void {
    this.cameraOn = on;
    const camera = this.sharing ? this.#aside : this.stream.getVideoTracks()[0];
    if (camera) camera.enabled = on;
    this.emit("change");
  }

  /**
   * Sends `track` in place of the current one of its kind (another camera or
   * microphone), or nothing of `kind` (null). While a screen is shared, a
   * new camera waits aside until sharing stops. Returns the track it
   * displaced, for its owner to stop or keep.
   */
  replaceTrack(kind: MediaKind, track: MediaStreamTrack | null): MediaStreamTrack | null {
    if (track && track.kind !== kind) throw new TypeError(`a ${track.kind} track cannot replace the ${kind} track`);
    if (track) track.enabled = kind === "audio" ? this.micOn : this.cameraOn;
    if (kind === "video" && this.sharing) {
      const old = this.#aside;
      this.#aside = track;
      this.emit("change");
      return old;
    }
    const old = this.stream.getTracks().find((t) => t.kind === kind) ?? null;
    if (old) this.stream.removeTrack(old);
    if (track) this.stream.addTrack(track);
    this.emit("track", kind, track);
    this.emit("change");
    return old;
  }

  /** Shares `screen` (a display track) in the camera's place until stopScreen() or the browser's own "Stop sharing". */
  shareScreen(screen: MediaStreamTrack): void {
    if (screen.kind !== "video") throw new TypeError("a screen share is a video track");
    if (!this.sharing) this.#aside = this.stream.getVideoTracks()[0] ?? null;
    for (const old of this.stream.getVideoTracks()) this.stream.removeTrack(old);
    this.sharing = true;
    this.stream.addTrack(screen);
    this.emit("track", "video", screen);
    this.emit("change");
    screen.addEventListener("ended", () => {
      if (this.sharing && this.stream.getVideoTracks()[0] === screen) this.stopScreen();
    });
  }

  /** The camera comes back; returns the screen track that was shared, for its owner to stop. */
  stopScreen(): MediaStreamTrack | null {
    if (!this.sharing) return null;
    this.sharing = false;
    const screen = this.stream.getVideoTracks()[0] ?? null;
    if (screen) this.stream.removeTrack(screen);
    if (this.#aside) this.stream.addTrack(this.#aside);
    this.emit("track", "video", this.#aside);
    this.#aside = null;
    this.emit("change");
    return screen;
  }

  /** The camera set aside during a share, if any (its owner stops it at the end). */
  protected get aside(): MediaStreamTrack | null {
    return this.#aside;
  }
}
