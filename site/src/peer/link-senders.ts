// What one peer connection sends: our tracks on the right transceivers, in
// one stream, and the senders held at their video budget.
import type { VideoEncoding } from "./sender-policy";
import { tuneSenders } from "./sender-tuning";

export class LinkSenders {
  /** Our tracks are on the connection (the initiator at once, the answerer with its first answer). */
  #added = false;
  /** The video budget to keep the senders at (null: as the browser chooses). */
  #budget: VideoEncoding | null = null;
  #tuning: Promise<void> = Promise.resolve();

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly stream: MediaStream,
    private readonly initiator: boolean,
  ) {}

  /**
   * Our media into the connection, once. A kind we do not have (no camera,
   * no microphone) is still asked for, receive-only, so we get the other's.
   */
  addLocalTracks(): void {
    if (this.#added) return;
    this.#added = true;
    const stream = this.stream;
    for (const kind of ["audio", "video"] as const) {
      const track = stream.getTracks().find((t) => t.kind === kind);
      const existing = this.pc
        .getTransceivers()
        .find((t) => t.receiver.track.kind === kind && t.currentDirection !== "stopped");
      if (track && existing) {
        // Created by the remote offer: send on it (this is what addTrack would do).
        void existing.sender.replaceTrack(track);
        setStream(existing.sender, stream);
        existing.direction = "sendrecv";
      } else if (track) {
        this.pc.addTrack(track, stream);
      } else if (!existing && this.initiator) {
        this.pc.addTransceiver(kind, { direction: "recvonly" });
      }
    }
    this.tune();
  }

  /**
   * A new track for a kind (another camera, the screen) or none: swapped in
   * without renegotiating when there is already a sender for that kind.
   */
  async setTrack(kind: "audio" | "video", track: MediaStreamTrack | null): Promise<void> {
    if (!this.#added || this.pc.signalingState === "closed") return;
    const transceiver = this.pc
      .getTransceivers()
      .find((t) => t.receiver.track.kind === kind && t.currentDirection !== "stopped");
    if (!transceiver) {
      if (track) this.pc.addTrack(track, this.stream);
      this.tune();
      return;
    }
    await transceiver.sender.replaceTrack(track);
    if (track && transceiver.direction === "recvonly") {
      setStream(transceiver.sender, this.stream);
      transceiver.direction = "sendrecv"; // renegotiates, through perfect negotiation
    }
  }

  setVideoBudget(budget: VideoEncoding | null): void {
    this.#budget = budget;
    this.tune();
  }

  /** Applies the budget to every sender again (also once connected: some browsers refuse it before). */
  tune(): void {
    if (!this.#added) return;
    // One setParameters at a time per connection: each needs the parameters
    // of the one before.
    this.#tuning = this.#tuning.then(() =>
      this.pc.signalingState === "closed" ? undefined : tuneSenders(this.pc, this.#budget),
    );
  }
}

/**
 * Audio and video in one stream for the peer (so it can play them in sync).
 * Where a browser lacks setStreams, the sender keeps the stream it has: the
 * peer then gets the track in a stream of its own, which the page handles.
 */
function setStream(sender: RTCRtpSender, stream: MediaStream): void {
  if (typeof sender.setStreams === "function") sender.setStreams(stream);
}
