// What a peer connection sends, shaped to cost few frames without costing
// time or losing anything. A new description waits a moment (25 ms) so the
// host candidates that arrive right after setLocalDescription ride inside
// its SDP; later candidates go out in batches. End-of-candidates is never
// sent: browsers do not need it. Where gathering is quick a whole two-peer
// call is 7 frames.
//
// Every description that was set is sent, in the order it was set: an
// answer followed at once by an offer of our own (the answer added a kind of
// media the offer lacked) sends the answer as it was, then the offer. Only a
// description that was rolled back before it went out is never sent.
import type { IceCandidate, PeerSignal, SessionDescription, SignalData } from "../../../protocol";

export interface OutboxDeps {
  send(data: PeerSignal & SignalData): void;
  /** The connection's current local description (with its gathered candidates). */
  localDescription(): SessionDescription | null;
  gatheringComplete(): boolean;
}

export interface OutboxTiming {
  /** How long a new description waits for candidates to join its SDP. */
  describeAfterMs: number;
  /** How long a candidate waits for others to share its frame. */
  batchMs: number;
}

export const DEFAULT_OUTBOX_TIMING: OutboxTiming = { describeAfterMs: 25, batchMs: 25 };

export class SignalOutbox {
  /** A description that was set and not sent yet, as it was right after it was set. */
  #pending: SessionDescription | null = null;
  /** Candidates gathered while a description waits: most end up inside its SDP. */
  #held: IceCandidate[] = [];
  #batch: IceCandidate[] = [];
  #describeTimer: ReturnType<typeof setTimeout> | undefined;
  #batchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: OutboxDeps,
    private readonly timing: OutboxTiming = DEFAULT_OUTBOX_TIMING,
  ) {}

  /** A new local description was set: send it shortly, after any still waiting. */
  described(): void {
    // The connection has moved on: the one still waiting goes as it was set.
    this.#sendPending(false);
    this.#flushCandidates();
    const description = this.deps.localDescription();
    if (description === null) return;
    this.#pending = description;
    if (this.deps.gatheringComplete()) this.#sendPending(true);
    else this.#describeTimer = setTimeout(() => this.#sendPending(true), this.timing.describeAfterMs);
  }

  /**
   * The description we last set goes out again, as it is now (with every
   * candidate gathered since): the socket it went into may have been dead.
   * The same description twice changes nothing for a peer that had it.
   */
  resend(): void {
    if (this.#pending !== null) return; // not sent yet: it goes out anyway
    const description = this.deps.localDescription();
    if (description !== null) this.deps.send({ description });
  }

  /** The waiting description was rolled back (never seen by the peer): forget it. */
  discard(): void {
    clearTimeout(this.#describeTimer);
    this.#pending = null;
    this.#held = [];
  }

  /** A gathered candidate; null when gathering is complete. */
  candidate(candidate: IceCandidate | null): void {
    // Firefox marks the end of each m-section's gathering with an empty
    // candidate line: an end-of-candidates, which is never sent.
    if (candidate !== null && !candidate.candidate) return;
    if (this.#pending !== null) {
      if (candidate === null) this.#sendPending(true);
      else this.#held.push(candidate);
      return;
    }
    if (candidate === null) {
      this.#flushCandidates();
      return;
    }
    this.#batch.push(candidate);
    this.#batchTimer ??= setTimeout(() => this.#flushCandidates(), this.timing.batchMs);
  }

  close(): void {
    clearTimeout(this.#describeTimer);
    clearTimeout(this.#batchTimer);
    this.#pending = null;
    this.#held = [];
    this.#batch = [];
  }

  /**
   * Sends the waiting description. `current`: the connection still has it as
   * its local description, so read it again for the candidates gathered
   * since; otherwise send the copy taken when it was set.
   */
  #sendPending(current: boolean): void {
    const waiting = this.#pending;
    if (waiting === null) return;
    clearTimeout(this.#describeTimer);
    this.#pending = null;
    const now = current ? this.deps.localDescription() : null;
    const description = now !== null && now.type === waiting.type ? now : waiting;
    this.deps.send({ description });
    // Candidates that did not make it into the SDP that went out follow it.
    const inside = candidatesInSdp(description.sdp ?? "");
    const missing = this.#held.filter((c) => !inside.has(sectionKey(c)));
    this.#held = [];
    if (missing.length > 0) this.deps.send({ candidates: missing });
  }

  #flushCandidates(): void {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    if (this.#batch.length === 0) return;
    const candidates = this.#batch;
    this.#batch = [];
    this.deps.send({ candidates });
  }
}

/**
 * What makes a candidate the same one in an SDP and in an icecandidate
 * event: foundation, component, transport, priority, address and port.
 * The rest of the line differs between the two (Chromium adds `ufrag` and
 * `network-id` to one and not the other).
 */
export function candidateKey(line: string): string {
  return line
    .replace(/^candidate:/, "")
    .split(" ")
    .slice(0, 6)
    .join(" ")
    .toLowerCase();
}

/**
 * A candidate and the m-section it belongs to. Before bundling, each section
 * gathers its own, and two sections' TCP candidates can be alike in every
 * field (port 9, same priority): only the section tells them apart.
 */
function sectionKey(c: IceCandidate): string {
  const section = c.sdpMid != null ? `mid ${c.sdpMid}` : `index ${c.sdpMLineIndex ?? 0}`;
  return `${section}|${candidateKey(c.candidate ?? "")}`;
}

/** Every candidate inside an SDP, keyed as `sectionKey` keys them (by mid and by index, whichever a candidate has). */
function candidatesInSdp(sdp: string): Set<string> {
  const keys = new Set<string>();
  let index = -1;
  let mid: string | null = null;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith("m=")) {
      index += 1;
      mid = null;
    } else if (line.startsWith("a=mid:")) mid = line.slice(6);
    else if (line.startsWith("a=candidate:")) {
      const key = candidateKey(line.slice(2));
      keys.add(`index ${index}|${key}`);
      if (mid !== null) keys.add(`mid ${mid}|${key}`);
    }
  }
  return keys;
}
