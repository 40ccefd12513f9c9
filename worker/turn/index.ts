// ICE servers for a peer, from whichever provider is configured. Minting
// never fails a join: provider trouble means STUN only and one log line.
import type { Env } from "../env";
import { log } from "../log";
import { TurnProviderError, mintCloudflare, revokeCloudflare, type Fetcher } from "./cloudflare";
import type { IceGrant } from "./grant";
import { mintSharedSecret } from "./shared-secret";
import { turnSettings, type TurnEnv, type TurnProviderName } from "./settings";

export type { IceGrant } from "./grant";

export function turnProvider(env: TurnEnv): TurnProviderName {
  return turnSettings(env).provider;
}

function failure(error: unknown): { reason: string; status?: number } {
  if (error instanceof TurnProviderError)
    return { reason: error.reason, ...(error.status === undefined ? {} : { status: error.status }) };
  return { reason: "unexpected" };
}

export async function mintIceServers(
  env: TurnEnv,
  peerId: string,
  now: number = Date.now(),
  fetcher?: Fetcher,
): Promise<IceGrant> {
  const settings = turnSettings(env);
  switch (settings.provider) {
    case "none":
      return { iceServers: [{ urls: settings.stunUrls }], expiresAt: null };
    case "shared-secret":
      return mintSharedSecret({ ...settings, peerId, now });
    case "cloudflare":
      try {
        return await mintCloudflare({ ...settings, now, ...(fetcher ? { fetcher } : {}) });
      } catch (error) {
        log(env, "warn", { event: "turn-mint-failed", provider: "cloudflare", peer: peerId, ...failure(error) });
        return { iceServers: [{ urls: settings.stunUrls }], expiresAt: null };
      }
  }
}

/** Ends a credential early where the provider can (Cloudflare); never throws. */
export async function revokeIceGrant(env: TurnEnv, username: string, fetcher?: Fetcher): Promise<void> {
  const settings = turnSettings(env);
  if (settings.provider !== "cloudflare") return;
  try {
    await revokeCloudflare({ ...settings, username, ...(fetcher ? { fetcher } : {}) });
  } catch (error) {
    log(env, "warn", { event: "turn-revoke-failed", provider: "cloudflare", ...failure(error) });
  }
}
