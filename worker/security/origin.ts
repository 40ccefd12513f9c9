// Which pages may open a room socket. Browsers always send Origin on a
// WebSocket upgrade, so a check here stops other sites from using a visitor's
// browser against our rooms. Native and CLI clients send none.

/** `http://localhost:*` style patterns: scheme, host, and a port or `*`. */
function matches(origin: URL, pattern: string): boolean {
  const m = /^(https?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+|\*))?\/?$/i.exec(pattern.trim());
  if (!m) return false;
  const [, scheme, host, port] = m;
  if (origin.protocol !== `${scheme!.toLowerCase()}:` || origin.hostname !== host!.toLowerCase()) return false;
  if (port === "*") return true;
  const defaultPort = origin.protocol === "https:" ? "443" : "80";
  return (origin.port || defaultPort) === (port ?? defaultPort);
}

export const DEFAULT_ALLOWED_ORIGINS = ["http://localhost:*", "http://127.0.0.1:*"];

export interface OriginPolicy {
  /** Patterns besides the request's own origin, which is always allowed. */
  allowed: string[];
  /** Refuse requests that carry no Origin at all. */
  requireOrigin: boolean;
}

export function originPolicy(env: { ALLOWED_ORIGINS?: string; REQUIRE_ORIGIN?: string }): OriginPolicy {
  const configured = (env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  return {
    allowed: configured.length > 0 ? configured : DEFAULT_ALLOWED_ORIGINS,
    requireOrigin: env.REQUIRE_ORIGIN === "true",
  };
}

export function isOriginAllowed(origin: string | undefined, requestUrl: string, policy: OriginPolicy): boolean {
  if (origin === undefined || origin === "") return !policy.requireOrigin;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if (parsed.origin === new URL(requestUrl).origin) return true;
  return policy.allowed.some((pattern) => matches(parsed, pattern));
}
