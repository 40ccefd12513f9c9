/** A peer connection's state, in the words the page uses. */
export type LinkState = "connecting" | "connected" | "reconnecting" | "failed" | "closed";
