import type { Room } from "./room/room";
import type { JoinLimiter } from "./security/join-limiter";

/**
 * Bindings and vars from wrangler.toml, and secrets from `wrangler secret put`
 * (or .dev.vars locally). README.md's configuration table documents each.
 */
export interface Env {
  ROOMS: DurableObjectNamespace<Room>;
  /** One object per client IP, counting joins. */
  JOIN_LIMITER: DurableObjectNamespace<JoinLimiter>;
  ASSETS: Fetcher;
  /** Seats per room; default 8. */
  ROOM_CAPACITY?: string;
  /** How long a dropped peer keeps its seat for a resume, seconds; default 20. */
  RESUME_GRACE_SECONDS?: string;
  /** Sockets silent (no frame, no ping) for longer are closed, seconds; default 60. */
  IDLE_TIMEOUT_SECONDS?: string;
  /** Comma-separated STUN URLs; default stun:stun.cloudflare.com:3478. */
  STUN_URLS?: string;
  /** Comma-separated turn:/turns: URLs of a shared-secret TURN server (coturn). */
  TURN_URLS?: string;
  /** Secret: coturn's static-auth-secret. */
  TURN_SECRET?: string;
  /** Credential lifetime in seconds; default 3600, accepted 60-172800. */
  TURN_TTL?: string;
  /** "true" lowers TURN_TTL's floor to 10 s. For tests of credential refresh only. */
  TURN_TTL_ALLOW_SHORT?: string;
  /** Secret: Cloudflare Realtime TURN key id. */
  CF_TURN_KEY_ID?: string;
  /** Secret: Cloudflare Realtime TURN key API token. */
  CF_TURN_API_TOKEN?: string;
  /** Origins (besides the site's own) allowed to open room sockets; default http://localhost:*,http://127.0.0.1:*. */
  ALLOWED_ORIGINS?: string;
  /** "true": refuse room sockets without an Origin header (no native or CLI clients). */
  REQUIRE_ORIGIN?: string;
  /** Frames per second a socket may send on average; default 50. */
  RATE_LIMIT_PER_SECOND?: string;
  /** Frames a socket may send at once; default 300. */
  RATE_LIMIT_BURST?: string;
  /** Room joins per client IP per minute; default 30. */
  JOIN_LIMIT_PER_MINUTE?: string;
  /** debug, info, warn, error or none; default info. */
  LOG_LEVEL?: string;
}
