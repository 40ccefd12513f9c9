// TURN credential providers as units: settings, the shared-secret scheme,
// and Cloudflare's API with its outbound fetch replaced by a fake.
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../worker/config";
import { mintIceServers, revokeIceGrant } from "../../worker/turn";
import {
  CLOUDFLARE_TURN_API,
  isPort53,
  mintCloudflare,
  withoutPort53,
  type Fetcher,
} from "../../worker/turn/cloudflare";
import { mintSharedSecret, turnCredential } from "../../worker/turn/shared-secret";

const turnSettings = (vars: Record<string, string>) => readConfig(vars).turn;
/** TURN_TTL as configured (the shared-secret provider carries it). */
const turnTtlSeconds = (vars: Record<string, string>) => {
  const turn = readConfig({ TURN_SECRET: "s", TURN_URLS: "turn:x:3478", ...vars }).turn;
  return turn.provider === "shared-secret" ? turn.ttlSeconds : NaN;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("TURN settings", () => {
  it("picks Cloudflare, then a shared secret, then STUN only", () => {
    const cf = { CF_TURN_KEY_ID: "key", CF_TURN_API_TOKEN: "token" };
    const coturn = { TURN_SECRET: "s", TURN_URLS: "turn:turn.example:3478, turns:turn.example:443?transport=tcp" };
    expect(turnSettings({ ...cf, ...coturn }).provider).toBe("cloudflare");
    expect(turnSettings(coturn)).toMatchObject({
      provider: "shared-secret",
      turnUrls: ["turn:turn.example:3478", "turns:turn.example:443?transport=tcp"],
      stunUrls: ["stun:stun.cloudflare.com:3478"],
    });
    expect(turnSettings({ TURN_SECRET: "s" }).provider).toBe("none");
    expect(turnSettings({ TURN_URLS: "turn:x:3478" }).provider).toBe("none");
    expect(turnSettings({ CF_TURN_KEY_ID: "key" }).provider).toBe("none");
    expect(turnSettings({ STUN_URLS: "stun:a:3478,stun:b:3478" })).toEqual({
      provider: "none",
      stunUrls: ["stun:a:3478", "stun:b:3478"],
    });
  });

  it("accepts TURN_TTL from 60 to 172800 seconds, else the default 3600", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(turnTtlSeconds({})).toBe(3600);
    expect(turnTtlSeconds({ TURN_TTL: "60" })).toBe(60);
    expect(turnTtlSeconds({ TURN_TTL: "172800" })).toBe(172800);
    expect(turnTtlSeconds({ TURN_TTL: "59" })).toBe(3600);
    expect(turnTtlSeconds({ TURN_TTL: "172801" })).toBe(3600);
    expect(turnTtlSeconds({ TURN_TTL: "90.5" })).toBe(3600);
    expect(turnTtlSeconds({ TURN_TTL: "soon" })).toBe(3600);
    expect(warn).toHaveBeenCalledTimes(4);
    // The test-only switch lowers the floor to 10 s, not further.
    expect(turnTtlSeconds({ TURN_TTL: "20", TURN_TTL_ALLOW_SHORT: "true" })).toBe(20);
    expect(turnTtlSeconds({ TURN_TTL: "9", TURN_TTL_ALLOW_SHORT: "true" })).toBe(3600);
  });
});

describe("shared-secret credentials", () => {
  // Made with: printf '%s' USERNAME | openssl dgst -sha1 -hmac SECRET -binary | base64
  it.each([
    ["tincan-test-secret", "1700000000:peer-abc", "+hPuEgwzox11hb68P1T9gpkK/qQ="],
    ["correct horse battery staple", "1893456000:Hc4tR8nJ0sQe6uVa", "OXu6RvJyQKHRnyEa3ZVSQW9Yy/U="],
    ["sécret", "42:ü", "Gc+9SAsOSlTRUZ3MgiBYW+Zh430="],
  ])("HMAC-SHA1 with %j over %j matches openssl", async (secret, username, expected) => {
    expect(await turnCredential(secret, username)).toBe(expected);
  });

  it("names the peer and its expiry, now + TTL, in the username", async () => {
    const now = Date.UTC(2026, 10, 21, 12, 0, 0, 500);
    const grant = await mintSharedSecret({
      secret: "tincan-test-secret",
      turnUrls: ["turn:127.0.0.1:3478"],
      stunUrls: ["stun:stun.example:3478"],
      ttlSeconds: 600,
      peerId: "peer-abc",
      now,
    });
    const expiry = Math.floor(now / 1000) + 600;
    expect(grant).toEqual({
      expiresAt: expiry * 1000,
      iceServers: [
        { urls: ["stun:stun.example:3478"] },
        {
          urls: ["turn:127.0.0.1:3478"],
          username: `${expiry}:peer-abc`,
          credential: await turnCredential("tincan-test-secret", `${expiry}:peer-abc`),
        },
      ],
    });
  });
});

const cloudflareAnswer = {
  iceServers: [
    { urls: ["stun:stun.cloudflare.com:3478", "stun:stun.cloudflare.com:53"] },
    {
      urls: [
        "turn:turn.cloudflare.com:3478?transport=udp",
        "turn:turn.cloudflare.com:53?transport=udp",
        "turn:turn.cloudflare.com:3478?transport=tcp",
        "turns:turn.cloudflare.com:5349?transport=tcp",
        "turns:turn.cloudflare.com:443?transport=tcp",
      ],
      username: "cf-user-1",
      credential: "cf-credential-1",
    },
  ],
};

function fakeFetch(answer: () => Response | Promise<Response>): {
  fetcher: Fetcher;
  calls: { url: string; init: RequestInit }[];
} {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher: Fetcher = async (url, init) => {
    calls.push({ url, init });
    return answer();
  };
  return { fetcher, calls };
}

describe("Cloudflare TURN", () => {
  const request = { keyId: "key-123", apiToken: "api-token-xyz", ttlSeconds: 3600, now: 1_000_000 };

  it("mints with the key and TTL, keeps no port-53 URL, remembers what to revoke", async () => {
    const { fetcher, calls } = fakeFetch(() => Response.json(cloudflareAnswer, { status: 201 }));
    const grant = await mintCloudflare({ ...request, fetcher });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${CLOUDFLARE_TURN_API}/key-123/credentials/generate-ice-servers`);
    expect(calls[0]!.init.method).toBe("POST");
    expect(new Headers(calls[0]!.init.headers).get("Authorization")).toBe("Bearer api-token-xyz");
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ ttl: 3600 });
    expect(grant).toEqual({
      iceServers: [
        { urls: ["stun:stun.cloudflare.com:3478"] },
        {
          urls: [
            "turn:turn.cloudflare.com:3478?transport=udp",
            "turn:turn.cloudflare.com:3478?transport=tcp",
            "turns:turn.cloudflare.com:5349?transport=tcp",
            "turns:turn.cloudflare.com:443?transport=tcp",
          ],
          username: "cf-user-1",
          credential: "cf-credential-1",
        },
      ],
      expiresAt: 1_000_000 + 3_600_000,
      revocable: "cf-user-1",
    });
  });

  it("recognizes port 53 in every URL form", () => {
    expect(isPort53("turn:turn.example:53?transport=udp")).toBe(true);
    expect(isPort53("stun:stun.example:53")).toBe(true);
    expect(isPort53("turn:[2001:db8::1]:53")).toBe(true);
    expect(isPort53("turn:turn.example:5349")).toBe(false);
    expect(isPort53("turn:turn.example:3478?transport=53")).toBe(false);
    expect(isPort53("turn:turn.example")).toBe(false);
    expect(withoutPort53([{ urls: "stun:a:53" }, { urls: "stun:b:3478" }])).toEqual([{ urls: ["stun:b:3478"] }]);
  });

  it.each([
    ["a 401", () => new Response("no", { status: 401 }), "http-status 401"],
    ["a 404", () => new Response("no", { status: 404 }), "http-status 404"],
    ["a 500", () => new Response("oops", { status: 500 }), "http-status 500"],
    ["a 503", () => new Response("oops", { status: 503 }), "http-status 503"],
    ["bad JSON", () => new Response("{not json", { status: 201 }), "bad-json"],
    ["the wrong shape", () => Response.json({ iceServers: "nope" }, { status: 201 }), "bad-response"],
    [
      "only port-53 URLs",
      () => Response.json({ iceServers: [{ urls: ["turn:t:53"] }] }, { status: 201 }),
      "bad-response",
    ],
  ])("fails cleanly on %s", async (_, answer, message) => {
    const { fetcher } = fakeFetch(answer);
    await expect(mintCloudflare({ ...request, fetcher })).rejects.toThrow(message);
  });

  it("gives up after 3 s without an answer", async () => {
    const fetcher: Fetcher = (_url, init) =>
      new Promise((_, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const started = Date.now();
    await expect(mintCloudflare({ ...request, fetcher })).rejects.toThrow("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("falls back to STUN only with one log line that holds no secret", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(line));
    const { fetcher } = fakeFetch(() => new Response("down", { status: 502 }));
    const env = { CF_TURN_KEY_ID: "key-123", CF_TURN_API_TOKEN: "api-token-xyz" };
    expect(await mintIceServers(readConfig(env), "peer-1", 5, fetcher)).toEqual({
      iceServers: [{ urls: ["stun:stun.cloudflare.com:3478"] }],
      expiresAt: null,
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      level: "warn",
      event: "turn-mint-failed",
      provider: "cloudflare",
      peer: "peer-1",
      reason: "http-status",
      status: 502,
    });
    expect(lines[0]).not.toContain("api-token-xyz");
  });

  it("revokes a credential by its username", async () => {
    const { fetcher, calls } = fakeFetch(() => new Response(null, { status: 200 }));
    const cloudflare = readConfig({ CF_TURN_KEY_ID: "key-123", CF_TURN_API_TOKEN: "api-token-xyz" });
    await revokeIceGrant(cloudflare, "cf-user-1", fetcher);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${CLOUDFLARE_TURN_API}/key-123/credentials/cf-user-1/revoke`);
    expect(calls[0]!.init.method).toBe("POST");
    expect(new Headers(calls[0]!.init.headers).get("Authorization")).toBe("Bearer api-token-xyz");
  });

  it("does nothing to revoke for a shared-secret or STUN-only setup", async () => {
    const { fetcher, calls } = fakeFetch(() => new Response(null, { status: 200 }));
    await revokeIceGrant(readConfig({ TURN_SECRET: "s", TURN_URLS: "turn:x:3478" }), "u", fetcher);
    await revokeIceGrant(readConfig({}), "u", fetcher);
    expect(calls).toHaveLength(0);
  });
});
