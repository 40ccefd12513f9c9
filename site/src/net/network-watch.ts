// The page's own network changed: the browser went offline and online
// again, or says its connection changed (Chromium fires these within tens of
// milliseconds of an interface going away or coming up). Every socket and
// every ICE path the page had may be dead now, and nothing else says so for
// seconds: the signaling socket of a vanished address never closes by
// itself, and ICE calls a path `disconnected` only after 5 s of silence.

/** What a burst of events settles into before we act: one change, not four. */
export const NETWORK_SETTLE_MS = 150;

export interface NetworkEnv {
  /** Where `online` and `offline` fire (the window). */
  target: EventTarget;
  /** `navigator.connection`, where the browser has it. */
  connection?: EventTarget | undefined;
  /** `navigator.onLine`. */
  onLine(): boolean;
}

/**
 * Calls `changed` once the network has settled after a change, and only
 * while online (offline alone waits for online). Returns how to stop.
 */
export function watchNetwork(changed: () => void, env: NetworkEnv | null): () => void {
  if (env === null) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onEvent = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (env.onLine()) changed();
    }, NETWORK_SETTLE_MS);
  };
  env.target.addEventListener("online", onEvent);
  env.target.addEventListener("offline", onEvent);
  env.connection?.addEventListener("change", onEvent);
  return () => {
    clearTimeout(timer);
    env.target.removeEventListener("online", onEvent);
    env.target.removeEventListener("offline", onEvent);
    env.connection?.removeEventListener("change", onEvent);
  };
}
