// What Tincan's own pages put in a `signal`'s `data`. The room relays `data`
// without reading it; this is a convention between peers, and a page checks
// it because the sender is another peer, not the server.

export interface SessionDescription {
  type: "offer" | "answer" | "pranswer" | "rollback";
  sdp?: string;
}

/** RTCIceCandidateInit, spelled out for code that has no DOM types. */
export interface IceCandidate {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type PeerSignal =
  | { description: SessionDescription }
  /** Several trickled candidates in one frame (what Tincan's page sends). */
  | { candidates: IceCandidate[] }
  /** One trickled candidate; null: this side has gathered all of them. */
  | { candidate: IceCandidate | null };

/** More candidates than any browser gathers for one connection. */
export const MAX_CANDIDATES_PER_SIGNAL = 64;

const SDP_TYPES = new Set(["offer", "answer", "pranswer", "rollback"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optional(value: unknown, kind: "string" | "number"): boolean {
  return value === undefined || value === null || typeof value === kind;
}

function readCandidate(value: unknown): IceCandidate | null {
  if (!isRecord(value)) return null;
  const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (
    !optional(line, "string") ||
    !optional(sdpMid, "string") ||
    !optional(sdpMLineIndex, "number") ||
    !optional(usernameFragment, "string")
  ) {
    return null;
  }
  return {
    ...(typeof line === "string" ? { candidate: line } : {}),
    sdpMid: (sdpMid as string | null | undefined) ?? null,
    sdpMLineIndex: (sdpMLineIndex as number | null | undefined) ?? null,
    usernameFragment: (usernameFragment as string | null | undefined) ?? null,
  };
}

/** The PeerSignal in `data`, or null when a peer sent something else. */
export function readPeerSignal(data: Record<string, unknown>): PeerSignal | null {
  const { description, candidate, candidates } = data;
  if (Array.isArray(candidates)) {
    if (candidates.length > MAX_CANDIDATES_PER_SIGNAL) return null;
    const read = candidates.map(readCandidate);
    return read.every((c): c is IceCandidate => c !== null) ? { candidates: read } : null;
  }
  if (isRecord(description)) {
    const { type, sdp } = description;
    if (typeof type !== "string" || !SDP_TYPES.has(type) || !optional(sdp, "string")) return null;
    return {
      description: { type: type as SessionDescription["type"], ...(typeof sdp === "string" ? { sdp } : {}) },
    };
  }
  if (candidate === null) return { candidate: null };
  const one = readCandidate(candidate);
  if (one !== null) return { candidate: one };
  return null;
}
