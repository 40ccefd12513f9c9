// Cloudflare Realtime TURN: credentials minted by Cloudflare's API with our
// TURN key, revocable before they expire.
import * as v from "valibot";
import type { IceServer } from "../../protocol";
import type { IceGrant } from "./grant";

export const CLOUDFLARE_TURN_API = "https://rtc.live.cloudflare.com/v1/turn/keys";
/** A join waits for this at most; then the peer gets STUN only. */
export const CLOUDFLARE_TIMEOUT_MS = 3_000;

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

/** Why minting failed, in words fit for a log line (never the token). */
export class TurnProviderError extends Error {
  constructor(
    readonly reason: "timeout" | "network" | "http-status" | "bad-json" | "bad-response",
    readonly status?: number,
  ) {
    super(status === undefined ? reason : `${reason} ${status}`);
  }
}

const responseSchema = v.object({
  iceServers: v.array(
    v.object({
      urls: v.union([v.string(), v.array(v.string())]),
      username: v.optional(v.string()),
      credential: v.optional(v.string()),
    }),
  ),
});

const URL_PORT = /^(?:stuns?|turns?):(?:\[[^\]]*\]|[^:?]*)(?::(\d+))?/i;

/** Browsers refuse port 53 (DNS) for ICE, so such URLs only slow gathering down. */
export function isPort53(url: string): boolean {
  return URL_PORT.exec(url)?.[1] === "53";
}

export function withoutPort53(servers: IceServer[]): IceServer[] {
  const kept: IceServer[] = [];
  for (const server of servers) {
    const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((url) => !isPort53(url));
    if (urls.length > 0) kept.push({ ...server, urls });
  }
  return kept;
}

function authorization(apiToken: string): Record<string, string> {
  return { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json" };
}

async function call(fetcher: Fetcher, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetcher(url, { ...init, signal: AbortSignal.timeout(CLOUDFLARE_TIMEOUT_MS) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new TurnProviderError(timedOut ? "timeout" : "network");
  }
}

export interface CloudflareRequest {
  keyId: string;
  apiToken: string;
  ttlSeconds: number;
  /** ms since epoch. */
  now: number;
  fetcher?: Fetcher;
}

export async function mintCloudflare(request: CloudflareRequest): Promise<IceGrant> {
  const fetcher = request.fetcher ?? fetch;
  const url = `${CLOUDFLARE_TURN_API}/${encodeURIComponent(request.keyId)}/credentials/generate-ice-servers`;
  const response = await call(fetcher, url, {
    method: "POST",
    headers: authorization(request.apiToken),
    body: JSON.stringify({ ttl: request.ttlSeconds }),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new TurnProviderError("http-status", response.status);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new TurnProviderError(error instanceof Error && error.name === "TimeoutError" ? "timeout" : "bad-json");
  }
  const parsed = v.safeParse(responseSchema, body);
  if (!parsed.success) throw new TurnProviderError("bad-response");
  // Rebuilt field by field: only what RTCIceServer needs reaches a client.
  const iceServers = withoutPort53(
    parsed.output.iceServers.map((server) => ({
      urls: server.urls,
      ...(server.username === undefined ? {} : { username: server.username }),
      ...(server.credential === undefined ? {} : { credential: server.credential }),
    })),
  );
  if (iceServers.length === 0) throw new TurnProviderError("bad-response");
  const username = iceServers.find((server) => server.username !== undefined)?.username;
  return {
    iceServers,
    expiresAt: request.now + request.ttlSeconds * 1000,
    ...(username === undefined ? {} : { revocable: username }),
  };
}

export async function revokeCloudflare(
  request: Omit<CloudflareRequest, "ttlSeconds" | "now"> & { username: string },
): Promise<void> {
  const fetcher = request.fetcher ?? fetch;
  const url = `${CLOUDFLARE_TURN_API}/${encodeURIComponent(request.keyId)}/credentials/${encodeURIComponent(request.username)}/revoke`;
  const response = await call(fetcher, url, { method: "POST", headers: authorization(request.apiToken) });
  await response.body?.cancel();
  if (!response.ok) throw new TurnProviderError("http-status", response.status);
}
