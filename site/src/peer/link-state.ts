/**
 * A peer connection's state, in the words the page uses. `blocked`: the
 * connection failed with no relay on either side, so no retry can succeed
 * until a network changes (their networks allow no direct path, and there
 * is no TURN server to go between).
 */
export type LinkState = "connecting" | "connected" | "reconnecting" | "failed" | "blocked" | "closed";
