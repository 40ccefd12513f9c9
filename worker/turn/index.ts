// ICE servers for a peer, from whichever provider is configured. Minting
// never fails a join: provider trouble means STUN only and one log line.
import type { Config } from "../config";
import { log } from "../log";
import { TurnProviderError, mintCloudflare, revokeCloudflare, type Fetcher } from "./cloudflare";
import type { IceGrant } from "./grant";
import { mintSharedSecret } from "./shared-secret";

export type { IceGrant } from "./grant";
export type TurnProviderName = Config["turn"]["provider"];

function failure(error: unknown): { reason: string; status?: number } {
  if (error instanceof TurnProviderError)
    return { reason: error.reason, ...(error.status === undefined ? {} : { status: error.status }) };
  return { reason: "unexpected" };
}

/** STUN only: what every peer gets without TURN, and when a provider fails. */
export function stunOnly(config: Pick<Config, "turn">): IceGrant {
  return { iceServers: [{ urls: config.turn.stunUrls }], expiresAt: null };
}

export async function mintIceServers(
  config: Pick<Config, "turn" | "logLevel">,
  peerId: string,
  now: number = Date.now(),
  fetcher?: Fetcher,
): Promise<IceGrant> {
  const settings = config.turn;
  switch (settings.provider) {
    case "none":
      return stunOnly(config);
    case "shared-secret":
      return mintSharedSecret({ ...settings, peerId, now });
    case "cloudflare":
      try {
        return await mintCloudflare({ ...settings, now, ...(fetcher ? { fetcher } : {}) });
      } catch (error) {
        log(config, "warn", { event: "turn-mint-failed", provider: "cloudflare", peer: peerId, ...failure(error) });
        return stunOnly(config);
      }
  }
}

/** Ends a credential early where the provider can (Cloudflare); never throws. */
export async function revokeIceGrant(
  config: Pick<Config, "turn" | "logLevel">,
  username: string,
  fetcher?: Fetcher,
): Promise<void> {
  const settings = config.turn;
  if (settings.provider !== "cloudflare") return;
  try {
    await revokeCloudflare({ ...settings, username, ...(fetcher ? { fetcher } : {}) });
  } catch (error) {
    log(config, "warn", { event: "turn-revoke-failed", provider: "cloudflare", ...failure(error) });
  }
}
