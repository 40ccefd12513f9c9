// Puts a sender policy into a connection's senders with setParameters: no
// renegotiation, effective within a frame or two. Audio always goes first.
import type { VideoEncoding } from "./sender-policy";

/**
 * Tunes every sender of `pc` that has a track. `video` null leaves video as
 * the browser chooses (the policy switched off). A sender whose parameters
 * have no encoding yet (not negotiated, in some browsers) is skipped; the
 * caller tunes again once the connection is up.
 */
export async function tuneSenders(pc: RTCPeerConnection, video: VideoEncoding | null): Promise<void> {
  for (const sender of pc.getSenders()) {
    const kind = sender.track?.kind;
    if (kind !== "audio" && kind !== "video") continue;
    if (kind === "video" && video === null) continue;
    const parameters = sender.getParameters();
    const encoding = parameters.encodings?.[0];
    if (!encoding) continue;
    if (kind === "audio") {
      // Speech matters more than pictures when the uplink is short. Browsers
      // without these members (they are newer than the rest) ignore them.
      encoding.priority = "high";
      encoding.networkPriority = "high";
    } else {
      encoding.maxBitrate = video!.maxBitrateKbps * 1000;
      encoding.scaleResolutionDownBy = video!.scaleResolutionDownBy;
    }
    try {
      await sender.setParameters(parameters);
    } catch (error) {
      // A connection closing under us, or parameters not settable yet: the
      // next tune (on connect, on a change in the room) tries again.
      console.debug("tincan: setParameters failed:", error);
    }
  }
}
