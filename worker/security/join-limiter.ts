import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { joinLimits } from "./limits";
import { fullBucket, secondsUntilToken, take, type Bucket } from "./token-bucket";

export interface JoinVerdict {
  ok: boolean;
  /** Seconds until the next join would pass (for Retry-After). */
  retryAfter: number;
}

/**
 * Joins per client IP: one small object per IP holding a token bucket in
 * storage, so the limit holds across Worker isolates and the object's own
 * restarts. Called once per join, never on the relay path.
 */
export class JoinLimiter extends DurableObject<Env> {
  take(): JoinVerdict {
    const limits = joinLimits(this.env);
    const now = Date.now();
    const bucket = this.ctx.storage.kv.get<Bucket>("bucket") ?? fullBucket(limits, now);
    const ok = take(bucket, limits, now);
    this.ctx.storage.kv.put("bucket", bucket);
    return { ok, retryAfter: ok ? 0 : secondsUntilToken(bucket, limits) };
  }
}
