// When a connection whose path broke restarts ICE, and who restarts it.
// A path is lost when media stops arriving (./stall: 0.8 s of silence, long
// before ICE notices). ICE's own `disconnected` alone is no proof: on a
// lossy link both engines say it every few seconds while media still flows
// (measured in the lab at 20% loss), and a restart there only makes things
// worse; it counts when no media flows to tell (a data-only connection),
// after two seconds. Then:
// - the call is told, so it checks its signaling socket (the page's own
//   network may have changed under both);
// - one side restarts ICE at once and the other waits a moment, so that in
//   the usual case one offer crosses and no glare has to be settled: the
//   impolite side goes first, and the polite side only if nobody restarted
//   meanwhile;
// - a restart offer that gets no answer is given up and made again: it may
//   have gone into a socket that was already dead.
// `failed` restarts at once the first time (unless no relay exists on either
// side), then less and less often.
import { failedRetryDelayMs, shouldRestart } from "./restart-rules";
import { iceGeneration } from "./sdp-facts";
import { StallWatch } from "./stall";

/** How long the polite side leaves the restart to the other. */
export const POLITE_RESTART_DELAY_MS = 1_500;
/** An offer unanswered this long is taken as lost and made again. */
export const OFFER_TIMEOUT_MS = 5_000;
/** How often the receivers are asked when they last heard the peer. */
const STALL_POLL_MS = 200;
/** How long a connection without media may stay `disconnected` before it counts as lost. */
export const DISCONNECTED_GRACE_MS = 2_000;

export interface RecoveryDeps {
  pc: RTCPeerConnection;
  polite: boolean;
  /** Withdraws an unanswered offer and restarts ICE. */
  restart(): void;
  /** The path may be gone: the call checks its signaling socket. */
  pathLost(): void;
  /** The call will restart this connection itself (our own network changed). */
  held(): boolean;
  /** Failed with no relay on either side: an immediate retry cannot succeed. */
  blocked(): boolean;
}

export class LinkRecovery {
  readonly #stall = new StallWatch();
  readonly #poller: ReturnType<typeof setInterval>;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #offerTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  /** A lost path waits to be dealt with (one report per loss). */
  #lost = false;

  constructor(private readonly deps: RecoveryDeps) {
    this.#poller = setInterval(() => this.#pollMedia(), STALL_POLL_MS);
  }

  /** Call on every connectionstatechange. */
  onConnectionState(): void {
    switch (this.deps.pc.connectionState) {
      case "connected":
        this.#failures = 0;
        return;
      case "disconnected":
        // The page's own network may have changed: the call checks its socket
        // at once (cheap); the connection restarts only on real silence.
        this.deps.pathLost();
        if (!this.#stall.heard) {
          clearTimeout(this.#graceTimer);
          this.#graceTimer = setTimeout(() => {
            if (this.deps.pc.connectionState === "disconnected") this.#pathLost();
          }, DISCONNECTED_GRACE_MS);
        }
        return;
      case "failed": {
        clearTimeout(this.#restartTimer);
        // Without a relay a retry at once only fails again (and makes the peer
        // start its own timeout over): wait as after a second failure.
        const delay = failedRetryDelayMs(this.#failures++ + (this.deps.blocked() ? 1 : 0));
        this.#restartTimer = setTimeout(() => {
          if (this.deps.pc.connectionState === "failed") this.deps.restart();
        }, delay);
        return;
      }
      default:
        return;
    }
  }

  /** Our offer went out: if no answer comes, it is made again. */
  offerSent(): void {
    clearTimeout(this.#offerTimer);
    const offer = this.deps.pc.localDescription?.sdp;
    this.#offerTimer = setTimeout(() => {
      const pc = this.deps.pc;
      if (pc.signalingState === "have-local-offer" && pc.localDescription?.sdp === offer) this.deps.restart();
    }, OFFER_TIMEOUT_MS);
  }

  stop(): void {
    clearInterval(this.#poller);
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#offerTimer);
  }

  #generation(): string {
    const pc = this.deps.pc;
    return iceGeneration(pc.localDescription?.sdp, pc.remoteDescription?.sdp);
  }

  /** Connected, with media arriving again if it ever arrived. */
  #recovered(): boolean {
    return this.deps.pc.connectionState === "connected" && (!this.#stall.heard || this.#stall.flowing);
  }

  #pathLost(): void {
    if (this.#lost) return;
    this.#lost = true;
    this.deps.pathLost();
    const generationThen = this.#generation();
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(
      () => {
        this.#lost = false;
        const go = shouldRestart({ generationThen, generationNow: this.#generation(), recovered: this.#recovered() });
        if (go && !this.deps.held() && this.deps.pc.signalingState !== "closed") this.deps.restart();
      },
      this.deps.polite ? POLITE_RESTART_DELAY_MS : 0,
    );
  }

  #pollMedia(): void {
    const pc = this.deps.pc;
    if (pc.connectionState !== "connected" && pc.connectionState !== "disconnected") return;
    let newest = 0;
    for (const receiver of pc.getReceivers()) {
      for (const source of receiver.getSynchronizationSources?.() ?? []) newest = Math.max(newest, source.timestamp);
    }
    if (this.#stall.sample(newest, performance.now())) this.#pathLost();
  }
}
