// Per-address limits with the platform's Rate Limiting binding: a fixed
// budget per client address (CF-Connecting-IP) per window, counted by each
// Cloudflare location. Configured in wrangler.toml ([[ratelimits]]); the
// windows there and here are checked against each other by a test.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { LIMIT_WINDOW_SECONDS, readConfig } from "../config";
import { ApiError, type ApiErrorCode } from "../errors";
import { log } from "../log";

export interface AddressLimit {
  /** The binding, from the env. */
  binding(env: Env): RateLimit;
  code: Extract<ApiErrorCode, "too-many-joins" | "too-many-requests">;
  message: string;
}

/** Spends one unit of the client address's budget in `binding`; false when it is gone. */
export async function spendAddressBudget(c: Context, binding: RateLimit): Promise<boolean> {
  const { success } = await binding.limit({ key: c.req.header("CF-Connecting-IP") ?? "unknown" });
  return success;
}

/**
 * A middleware that spends one unit of the client address's budget and
 * answers 429 when it is gone. Addresses behind one NAT share a budget.
 */
export function limitPerAddress(limit: AddressLimit) {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    if (!(await spendAddressBudget(c, limit.binding(c.env)))) {
      log(readConfig(c.env), "warn", { event: limit.code, code: limit.code, path: c.req.path });
      // The binding does not say when the window turns; at most one window from now.
      throw new ApiError(429, limit.code, limit.message, { "Retry-After": String(LIMIT_WINDOW_SECONDS) });
    }
    await next();
  });
}

/** Room joins (and anything that mints credentials like one). */
export const joinLimit = limitPerAddress({
  binding: (env) => env.JOIN_LIMIT,
  code: "too-many-joins",
  message: "too many joins from this address; try again shortly",
});
