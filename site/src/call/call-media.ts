// What a call needs of the local media, whoever owns it: the room page's
// LocalMedia (devices, remembered choices, screen share) or an app's own
// MediaStream (../client/app-media). The call reads the facts it publishes
// to the peers and hears when a track is swapped.
import { Emitter } from "./emitter";

export type CallMediaEvents = {
  /** The track of a kind was replaced, appeared or went (for every peer connection). */
  track: ["audio" | "video", MediaStreamTrack | null];
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
 * The part both owners share: one stream of at most a microphone and a camera
 * (or a screen in the camera's place), muted by disabling tracks so the
 * peers keep their senders. Who gets tracks and who stops them is the owner's.
 */
export class SentMedia extends Emitter<CallMediaEvents> implements CallMedia {
  readonly stream = new MediaStream();
  micOn = true;
  cameraOn = true;
  sharing = false;
  /** The camera, set aside while a screen is shared in its place. */
  protected aside: MediaStreamTrack | null = null;

  get hasMic(): boolean {
    return this.stream.getAudioTracks().length > 0;
  }

  get hasCamera(): boolean {
    return (this.aside ?? this.stream.getVideoTracks()[0]) !== undefined;
  }

  setMic(on: boolean): void {
    this.micOn = on;
    for (const track of this.stream.getAudioTracks()) track.enabled = on;
    this.emit("change");
  }

  setCamera(on: boolean): void {
    this.cameraOn = on;
    const camera = this.sharing ? this.aside : this.stream.getVideoTracks()[0];
    if (camera) camera.enabled = on;
    this.emit("change");
  }
}
