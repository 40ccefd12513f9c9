// Resume tokens: `<peer id>.<128 random bits>`. Only a SHA-256 of the random
// part is stored, with the seat in this room's storage, so a token is bound
// to one room and one peer, and a leaked database holds no usable token.
// Everything here is synchronous (see ./sha256): a join never waits on it.
import { sha256Hex } from "./sha256";

const encoder = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const hash = (secret: string) => sha256Hex(encoder.encode(secret));

export interface IssuedToken {
  token: string;
  hash: string;
}

export function issueResumeToken(peerId: string): IssuedToken {
  const secret = hex(crypto.getRandomValues(new Uint8Array(16)));
  return { token: `${peerId}.${secret}`, hash: hash(secret) };
}

export interface ResumeClaim {
  peerId: string;
  hash: string;
}

/** The peer id a token claims and the hash to compare, or null if malformed. */
export function readResumeToken(token: string | null): ResumeClaim | null {
  if (!token || token.length > 200) return null;
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const peerId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!/^[0-9a-f]{32}$/.test(secret)) return null;
  return { peerId, hash: hash(secret) };
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
