// What a call needs of the local media, whoever owns it: the room page's
// LocalMedia (devices, remembered choices, screen share) or an app's own
// MediaStream (../client/app-media). The call reads the facts it publishes
// to the peers and hears when a track is swapped.
import type { Emitter } from "./emitter";

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
