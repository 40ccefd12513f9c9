// Which pages may open a room socket. Browsers always send Origin on a
// WebSocket upgrade, so a check here stops other sites from using a visitor's
// browser against our rooms. Native and CLI clients send none.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { readConfig, type Config } from "../config";
import { ApiError } from "../errors";
import { log } from "../log";

type Pattern = { scheme: string; host: string; port: string | undefined };

/** `http://localhost:*` style patterns: scheme, host, and a port or `*` (the config checked the shape). */
function compile(pattern: string): Pattern | null {
  const m = /^(https?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+|\*))?\/?$/i.exec(pattern.trim());
  return m ? { scheme: `${m[1]!.toLowerCase()}:`, host: m[2]!.toLowerCase(), port: m[3] } : null;
}

function matches(origin: URL, pattern: Pattern): boolean {
  if (origin.protocol !== pattern.scheme || origin.hostname !== pattern.host) return false;
  if (pattern.port === "*") return true;
  const defaultPort = origin.protocol === "https:" ? "443" : "80";
  return (origin.port || defaultPort) === (pattern.port ?? defaultPort);
}

const compiled = new WeakMap<Config["origins"], Pattern[]>();

function patterns(policy: Config["origins"]): Pattern[] {
  let list = compiled.get(policy);
  if (!list) {
    list = policy.allowed.map(compile).filter((p): p is Pattern => p !== null);
    compiled.set(policy, list);
  }
  return list;
}

export function isOriginAllowed(origin: string | undefined, requestUrl: string, policy: Config["origins"]): boolean {
  if (origin === undefined || origin === "") return !policy.requireOrigin;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if (parsed.origin === new URL(requestUrl).origin) return true;
  return patterns(policy).some((pattern) => matches(parsed, pattern));
}

/**
 * Refuses a request whose Origin the policy does not allow (403
 * `forbidden-origin`), before anything is spent on it. `what` names the
 * endpoint in the log line and the error.
 */
export function allowedOrigin(what: string, logFields: (c: Context) => Record<string, string> = () => ({})) {
  return createMiddleware<{ Bindings: Env }>(async function allowedOrigin(c, next) {
    const config = readConfig(c.env);
    if (!isOriginAllowed(c.req.header("Origin"), c.req.url, config.origins)) {
      log(config, "warn", { event: "forbidden-origin", ...logFields(c), code: "forbidden-origin" });
      throw new ApiError(403, "forbidden-origin", `pages from this origin may not ${what}`);
    }
    await next();
  });
}
