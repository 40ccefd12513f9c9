// The TURN credentials a room hands out: minted per peer, remembered with
// its seat where the provider can revoke them, and revoked in the
// background when the seat goes. The room never waits for a revocation.
import type { Config } from "../config";
import { mintIceServers, revokeIceGrant, stunOnly, type IceGrant } from "../turn";
import { addTurnRef, liveUsernames, type TurnCredentialRef } from "./turn-refs";

export class TurnGrants {
  constructor(
    private readonly config: Config,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
  ) {}

  /**
   * Credentials for `peerId`. Without a TURN provider there is nothing to
   * mint: the STUN list is the same for everyone, and no await is spent.
   */
  mint(peerId: string): IceGrant | Promise<IceGrant> {
    return this.config.turn.provider === "none" ? stunOnly(this.config) : mintIceServers(this.config, peerId);
  }

  /** `refs` plus this grant, if it can be revoked later. */
  remember(refs: TurnCredentialRef[], grant: IceGrant, now: number): TurnCredentialRef[] {
    if (grant.revocable === undefined || grant.expiresAt === null) return refs;
    return addTurnRef(refs, { username: grant.revocable, expiresAt: grant.expiresAt }, now);
  }

  /** A credential minted for nobody in the end (the join failed, the peer left meanwhile). */
  discard(grant: IceGrant): void {
    if (grant.revocable !== undefined) this.revoke([grant.revocable]);
  }

  /** Ends what a released seat still holds. */
  revokeAll(refs: TurnCredentialRef[], now: number): void {
    this.revoke(liveUsernames(refs, now));
  }

  private revoke(usernames: string[]): void {
    if (usernames.length === 0) return;
    this.waitUntil(Promise.all(usernames.map((username) => revokeIceGrant(this.config, username))));
  }
}
