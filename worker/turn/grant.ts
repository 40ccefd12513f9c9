import type { IceServer } from "../../protocol";

/** ICE servers for one peer, with when their credentials stop working. */
export interface IceGrant {
  iceServers: IceServer[];
  /** ms since epoch; null for STUN only (nothing expires). */
  expiresAt: number | null;
  /** Cloudflare only: the credential's username, to revoke when the peer goes. */
  revocable?: string;
}
