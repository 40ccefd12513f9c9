// Which ICE servers the rooms hand out, read from the environment. The
// provider is chosen by what is configured: Cloudflare's TURN if its key is
// set, else a shared-secret TURN server (coturn) if its secret and URLs are
// set, else STUN only.
import type { Env } from "../env";
import { log } from "../log";

export const DEFAULT_STUN_URLS = ["stun:stun.cloudflare.com:3478"];
export const DEFAULT_TTL_SECONDS = 3600;
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 172_800;
/** The floor when TURN_TTL_ALLOW_SHORT=true: only for tests of credential refresh. */
export const SHORT_MIN_TTL_SECONDS = 10;

export type TurnProviderName = "shared-secret" | "cloudflare" | "none";

export type TurnSettings =
  | { provider: "none"; stunUrls: string[] }
  | { provider: "shared-secret"; stunUrls: string[]; turnUrls: string[]; secret: string; ttlSeconds: number }
  | { provider: "cloudflare"; stunUrls: string[]; keyId: string; apiToken: string; ttlSeconds: number };

export type TurnEnv = Pick<
  Env,
  | "TURN_URLS"
  | "TURN_TTL"
  | "TURN_SECRET"
  | "TURN_TTL_ALLOW_SHORT"
  | "CF_TURN_KEY_ID"
  | "CF_TURN_API_TOKEN"
  | "STUN_URLS"
  | "LOG_LEVEL"
>;

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function set(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/** TURN_TTL in seconds; out-of-range or malformed values fall back to the default. */
export function turnTtlSeconds(env: Pick<TurnEnv, "TURN_TTL" | "TURN_TTL_ALLOW_SHORT" | "LOG_LEVEL">): number {
  if (!set(env.TURN_TTL)) return DEFAULT_TTL_SECONDS;
  const ttl = Number(env.TURN_TTL);
  const min = env.TURN_TTL_ALLOW_SHORT === "true" ? SHORT_MIN_TTL_SECONDS : MIN_TTL_SECONDS;
  if (Number.isInteger(ttl) && ttl >= min && ttl <= MAX_TTL_SECONDS) return ttl;
  log(env, "warn", {
    event: "config-invalid",
    name: "TURN_TTL",
    accepted: `${min}-${MAX_TTL_SECONDS}`,
    using: DEFAULT_TTL_SECONDS,
  });
  return DEFAULT_TTL_SECONDS;
}

export function turnSettings(env: TurnEnv): TurnSettings {
  const stunUrls = set(env.STUN_URLS) ? list(env.STUN_URLS) : DEFAULT_STUN_URLS;
  if (set(env.CF_TURN_KEY_ID) && set(env.CF_TURN_API_TOKEN)) {
    return {
      provider: "cloudflare",
      stunUrls,
      keyId: env.CF_TURN_KEY_ID.trim(),
      apiToken: env.CF_TURN_API_TOKEN.trim(),
      ttlSeconds: turnTtlSeconds(env),
    };
  }
  const turnUrls = list(env.TURN_URLS).filter((url) => /^turns?:/i.test(url));
  if (set(env.TURN_SECRET) && turnUrls.length > 0) {
    return { provider: "shared-secret", stunUrls, turnUrls, secret: env.TURN_SECRET, ttlSeconds: turnTtlSeconds(env) };
  }
  return { provider: "none", stunUrls };
}
