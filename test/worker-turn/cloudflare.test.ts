// The room with Cloudflare's TURN configured (the worker-cloudflare project
// in test/vitest.config.ts). Cloudflare's API cannot run here, so the
// Worker's outbound fetch is replaced by a fake that records every call.
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLOUDFLARE_TURN_API } from "../../worker/turn/cloudflare";
import { TestPeer, uniqueRoom } from "../worker/peers";
import { captureConsole, findLeaks } from "./secrets";

const token = env.CF_TURN_API_TOKEN!;
const keyId = env.CF_TURN_KEY_ID!;

interface ApiCall {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

let calls: ApiCall[] = [];
let answer: (call: ApiCall) => Response | Promise<Response>;
let minted = 0;

function credentials(): Response {
  minted += 1;
  return Response.json(
    {
      iceServers: [
        { urls: ["stun:stun.cloudflare.com:3478", "stun:stun.cloudflare.com:53"] },
        {
          urls: ["turn:turn.cloudflare.com:3478?transport=udp", "turn:turn.cloudflare.com:53?transport=udp"],
          username: `cf-user-${minted}`,
          credential: `cf-cred-${minted}`,
        },
      ],
    },
    { status: 201 },
  );
}

beforeEach(() => {
  calls = [];
  minted = 0;
  answer = (call) => (call.url.endsWith("/revoke") ? new Response(null, { status: 200 }) : credentials());
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const call = {
      url: request.url,
      method: request.method,
      authorization: request.headers.get("Authorization"),
      body: await request.text(),
    };
    calls.push(call);
    return answer(call);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Revocations run in the background: wait until `count` have been made. */
async function revocations(count: number): Promise<ApiCall[]> {
  await vi.waitFor(() => expect(calls.filter((c) => c.url.endsWith("/revoke"))).toHaveLength(count), {
    timeout: 2_000,
  });
  return calls.filter((c) => c.url.endsWith("/revoke"));
}

describe("a room minting Cloudflare TURN credentials", () => {
  it("says so on /api/health, without the key or token", async () => {
    const text = await (await exports.default.fetch("http://tincan.test/api/health")).text();
    expect(JSON.parse(text)).toMatchObject({ turn: "cloudflare" });
    expect(findLeaks([text], token)).toEqual([]);
    expect(text).not.toContain(keyId);
  });

  it("mints on join with the TTL and drops port 53", async () => {
    const before = Date.now();
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    expect(calls).toEqual([
      {
        url: `${CLOUDFLARE_TURN_API}/${keyId}/credentials/generate-ice-servers`,
        method: "POST",
        authorization: `Bearer ${token}`,
        body: JSON.stringify({ ttl: 900 }),
      },
    ]);
    expect(alice.welcome!.iceServers).toEqual([
      { urls: ["stun:stun.cloudflare.com:3478"] },
      { urls: ["turn:turn.cloudflare.com:3478?transport=udp"], username: "cf-user-1", credential: "cf-cred-1" },
    ]);
    expect(alice.welcome!.iceServersExpireAt).toBeGreaterThanOrEqual(before + 900_000);
  });

  it("revokes every credential of a peer when it leaves", async () => {
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    alice.send({ type: "ice-servers" });
    expect(await alice.next()).toMatchObject({ type: "ice-servers", iceServers: [{}, { username: "cf-user-2" }] });
    alice.send({ type: "leave" });
    const revoked = await revocations(2);
    expect(revoked.map((c) => c.url).sort()).toEqual([
      `${CLOUDFLARE_TURN_API}/${keyId}/credentials/cf-user-1/revoke`,
      `${CLOUDFLARE_TURN_API}/${keyId}/credentials/cf-user-2/revoke`,
    ]);
    for (const call of revoked) {
      expect(call.method).toBe("POST");
      expect(call.authorization).toBe(`Bearer ${token}`);
    }
  });

  it("revokes when a dropped peer's seat is finally released (grace over)", async () => {
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    alice.close(1001, "gone");
    // Held for the 1 s grace of this project, then released by the alarm.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.filter((c) => c.url.endsWith("/revoke"))).toEqual([]);
    const [revoked] = await revocations(1);
    expect(revoked!.url).toBe(`${CLOUDFLARE_TURN_API}/${keyId}/credentials/cf-user-1/revoke`);
  });

  it.each([
    ["a 403", () => new Response("forbidden", { status: 403 })],
    ["a 500", () => new Response("oops", { status: 500 })],
    ["bad JSON", () => new Response("<html>", { status: 200 })],
  ])("gives STUN only on %s, logs one line, and the room carries on", async (_, failure) => {
    answer = failure;
    const { result, lines } = await captureConsole(async () => {
      const room = uniqueRoom();
      const alice = await TestPeer.join(room, "Alice");
      const bob = await TestPeer.join(room, "Bob");
      await alice.next();
      bob.send({ type: "signal", to: alice.id, data: { still: "working" } });
      return { alice, signal: await alice.next() };
    });
    expect(result.alice.welcome!.iceServers).toEqual([{ urls: ["stun:stun.cloudflare.com:3478"] }]);
    expect(result.alice.welcome!.iceServersExpireAt).toBeNull();
    expect(result.signal).toMatchObject({ type: "signal", data: { still: "working" } });
    const failures = lines.filter((line) => line.includes("turn-mint-failed"));
    expect(failures).toHaveLength(2); // one per peer
    expect(JSON.parse(failures[0]!)).toMatchObject({ event: "turn-mint-failed", provider: "cloudflare" });
    expect(findLeaks(lines, token)).toEqual([]);
  });

  it("gives STUN only when Cloudflare does not answer within 3 s", async () => {
    // Never answers; only the abort signal ends the wait.
    vi.mocked(fetch).mockImplementation(
      (_input, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))),
    );
    const started = Date.now();
    const { result: alice } = await captureConsole(() => TestPeer.join(uniqueRoom(), "Alice"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(alice.welcome!.iceServers).toEqual([{ urls: ["stun:stun.cloudflare.com:3478"] }]);
  });

  it("never lets the token into a frame or a log line over a whole session", async () => {
    const { result: peers, lines } = await captureConsole(async () => {
      const room = uniqueRoom();
      const alice = await TestPeer.join(room, "Alice");
      const bob = await TestPeer.join(room, "Bob");
      await alice.next();
      bob.send({ type: "ice-servers" });
      await bob.next();
      bob.send({ type: "signal", to: alice.id, data: { x: 1 } });
      await alice.next();
      bob.send({ type: "leave" });
      await alice.next();
      return [alice, bob];
    });
    await revocations(2);
    expect(
      findLeaks(
        peers.flatMap((p) => p.history),
        token,
      ),
    ).toEqual([]);
    expect(findLeaks(lines, token)).toEqual([]);
  });
});
