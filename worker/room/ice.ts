import type { IceServer } from "../protocol";

// STUN only for now: minted TURN credentials are their own piece of work.
const DEFAULT_STUN = "stun:stun.cloudflare.com:3478";

export function iceServersFor(): IceServer[] {
  return [{ urls: DEFAULT_STUN }];
}
