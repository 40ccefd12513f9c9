// What Tincan's own pages put in a `signal`'s `data`. The room relays `data`
// without reading it; this is a convention between peers, and a page checks
// it because the sender is another peer, not the server.
import { MAX_FRAME_BYTES } from "../messages";
import { boundedString, isRecord } from "./record";

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
/** Far longer than any real candidate line, mid or ufrag. */
export const MAX_CANDIDATE_CHARS = 1_024;
export const MAX_MID_CHARS = 64;
export const MAX_UFRAG_CHARS = 256;
/** An m-line index beyond this is nonsense. */
export const MAX_MLINE_INDEX = 1_023;

const SDP_TYPES = new Set(["offer", "answer", "pranswer", "rollback"]);
const SIGNAL_KEYS = ["description", "candidates", "candidate"] as const;

/** Absent, null, or a string within bounds. */
function optionalString(value: unknown, max: number): value is string | null | undefined {
  return value === undefined || value === null || boundedString(value, 0, max) !== null;
}

function readCandidate(value: unknown): IceCandidate | null {
  if (!isRecord(value)) return null;
  const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (boundedString(line, 0, MAX_CANDIDATE_CHARS) === null) return null;
  if (!optionalString(sdpMid, MAX_MID_CHARS) || !optionalString(usernameFragment, MAX_UFRAG_CHARS)) return null;
  const index = sdpMLineIndex ?? null;
  if (index !== null && !(Number.isInteger(index) && (index as number) >= 0 && (index as number) <= MAX_MLINE_INDEX)) {
    return null;
  }
  // A candidate line names no m-section by itself: one of the two must (an
  // empty line is the end-of-candidates marker and needs neither).
  if (line !== "" && (sdpMid ?? null) === null && index === null) return null;
  return {
    candidate: line as string,
    sdpMid: sdpMid ?? null,
    sdpMLineIndex: index as number | null,
    usernameFragment: usernameFragment ?? null,
  };
}

function readDescription(value: unknown): SessionDescription | null {
  if (!isRecord(value)) return null;
  const { type, sdp } = value;
  if (typeof type !== "string" || !SDP_TYPES.has(type)) return null;
  if (type === "rollback") return sdp === undefined || typeof sdp === "string" ? { type } : null;
  // A description other than rollback is nothing without its SDP.
  const text = boundedString(sdp, 1, MAX_FRAME_BYTES);
  return text === null ? null : { type: type as SessionDescription["type"], sdp: text };
}

/**
 * The PeerSignal in a `signal`'s `data`, or null when a peer sent something
 * else. Exactly one of `description`, `candidates`, `candidate`. Never throws.
 */
export function readPeerSignal(data: unknown): PeerSignal | null {
  if (!isRecord(data)) return null;
  const present = SIGNAL_KEYS.filter((key) => Object.hasOwn(data, key));
  if (present.length !== 1) return null;
  switch (present[0]) {
    case "description": {
      const description = readDescription(data["description"]);
      return description === null ? null : { description };
    }
    case "candidates": {
      const list = data["candidates"];
      if (!Array.isArray(list) || list.length === 0 || list.length > MAX_CANDIDATES_PER_SIGNAL) return null;
      const read: IceCandidate[] = [];
      for (const item of list) {
        const candidate = readCandidate(item);
        if (candidate === null) return null;
        read.push(candidate);
      }
      return { candidates: read };
    }
    default: {
      const value = data["candidate"];
      if (value === null) return { candidate: null };
      const candidate = readCandidate(value);
      return candidate === null ? null : { candidate };
    }
  }
}
