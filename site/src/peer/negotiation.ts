// Pure decisions of the W3C perfect-negotiation pattern, kept apart from
// RTCPeerConnection so they can be unit-tested without a browser.

/** Mirrors RTCSignalingState without needing the DOM library. */
export type SignalingState =
  "stable" | "have-local-offer" | "have-remote-offer" | "have-local-pranswer" | "have-remote-pranswer" | "closed";

/**
 * Who yields when both sides offer at once. Both ends compute this from the
 * same two server-made ids, so exactly one of them is polite: the one whose
 * id sorts first (plain UTF-16 code-unit order).
 */
export function isPolite(selfId: string, remoteId: string): boolean {
  return selfId < remoteId;
}

export interface NegotiationState {
  polite: boolean;
  /** setLocalDescription for our own offer is in flight. */
  makingOffer: boolean;
  signalingState: SignalingState;
  /** setRemoteDescription(answer) is in flight: we will be stable shortly. */
  answerPending: boolean;
}

export interface DescriptionDecision {
  /** Both sides offered at once. */
  collision: boolean;
  /** Drop the incoming description (the impolite side keeps its own offer). */
  ignore: boolean;
}

export function decideOnDescription(
  type: "offer" | "answer" | "pranswer" | "rollback",
  state: NegotiationState,
): DescriptionDecision {
  const readyForOffer = !state.makingOffer && (state.signalingState === "stable" || state.answerPending);
  const collision = type === "offer" && !readyForOffer;
  return { collision, ignore: collision && !state.polite };
}
