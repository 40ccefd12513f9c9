// Frames for peers whose `tincan` channel is not open yet (still connecting,
// or replaced after a network change): they go out, in order, once it opens.
// Kept across a replaced connection (same peer id), dropped when the peer
// leaves; bounded, so a peer that never connects costs little.

const MAX_WAITING = 100;

export class WaitingFrames {
  readonly #waiting = new Map<string, string[]>();

  /** Sends now if the channel is open, else keeps the frame for when it opens. */
  send(peerId: string, channel: RTCDataChannel, frame: string): void {
    if (channel.readyState === "open") {
      channel.send(frame);
      return;
    }
    const waiting = this.#waiting.get(peerId) ?? [];
    if (waiting.length < MAX_WAITING) waiting.push(frame);
    this.#waiting.set(peerId, waiting);
  }

  /** The peer's channel opened: what waited goes first, in order. */
  flush(peerId: string, channel: RTCDataChannel): void {
    for (const frame of this.#waiting.get(peerId)?.splice(0) ?? []) channel.send(frame);
  }

  forget(peerId: string): void {
    this.#waiting.delete(peerId);
  }
}
