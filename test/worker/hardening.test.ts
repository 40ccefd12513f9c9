// Hostile input at the door and in the room: Origin, joins and lookups per
// address, frames per socket, bounds, and what the logs may say.
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_DATA_DEPTH } from "../../protocol";
import { readConfig } from "../../worker/config";
import { isOriginAllowed } from "../../worker/http/origin";
import { TestPeer, clearOfWindowEdge, fakeClientAddress, uniqueRoom } from "./peers";

const originPolicy = (vars: Record<string, string>) => readConfig(vars).origins;

afterEach(() => {
  vi.restoreAllMocks();
});

function upgrade(room: string, headers: Record<string, string>): Promise<Response> {
  return exports.default.fetch(`http://tincan.test/api/rooms/${room}/ws`, {
    headers: { Upgrade: "websocket", "CF-Connecting-IP": fakeClientAddress(), ...headers },
  });
}

async function roomExists(room: string): Promise<boolean> {
  const wanted = env.ROOMS.idFromName(room.toLowerCase());
  return (await listDurableObjectIds(env.ROOMS)).some((id) => id.equals(wanted));
}

function closeSocket(response: Response): void {
  response.webSocket?.accept();
  response.webSocket?.close(1000, "done");
}

describe("Origin", () => {
  it.each([
    ["the site's own origin", "http://tincan.test"],
    ["localhost on any port", "http://localhost:5173"],
    ["127.0.0.1 on any port", "http://127.0.0.1:8787"],
  ])("lets %s open a room socket", async (_, origin) => {
    const response = await upgrade(uniqueRoom(), { Origin: origin });
    expect(response.status).toBe(101);
    closeSocket(response);
  });

  it("lets clients without an Origin (native, CLI) in", async () => {
    const response = await upgrade(uniqueRoom(), {});
    expect(response.status).toBe(101);
    closeSocket(response);
  });

  it.each([
    ["another site", "https://evil.example"],
    ["a look-alike host", "http://tincan.test.evil.example"],
    ["https on localhost (not in the defaults)", "https://localhost:8787"],
    ["an opaque origin", "null"],
    ["garbage", "not a url"],
  ])("refuses %s with 403 forbidden-origin before any room exists", async (_, origin) => {
    const room = uniqueRoom();
    const response = await upgrade(room, { Origin: origin });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "forbidden-origin", message: expect.any(String) });
    expect(await roomExists(room)).toBe(false);
  });

  it("follows ALLOWED_ORIGINS and REQUIRE_ORIGIN", () => {
    const url = "https://rooms.example/api/rooms/a/ws";
    const custom = originPolicy({ ALLOWED_ORIGINS: "https://app.example, http://dev.example:*" });
    expect(isOriginAllowed("https://rooms.example", url, custom)).toBe(true); // own origin, always
    expect(isOriginAllowed("https://app.example", url, custom)).toBe(true);
    expect(isOriginAllowed("https://app.example:8443", url, custom)).toBe(false);
    expect(isOriginAllowed("http://dev.example:3000", url, custom)).toBe(true);
    expect(isOriginAllowed("http://localhost:8787", url, custom)).toBe(false); // defaults replaced
    expect(isOriginAllowed(undefined, url, custom)).toBe(true);
    expect(isOriginAllowed(undefined, url, originPolicy({ REQUIRE_ORIGIN: "true" }))).toBe(false);
    expect(isOriginAllowed("", url, originPolicy({ REQUIRE_ORIGIN: "true" }))).toBe(false);
  });
});

describe("joins per address", () => {
  it("allows 30 joins a minute from one address, then answers 429 too-many-joins", { timeout: 20_000 }, async () => {
    await clearOfWindowEdge();
    const address = fakeClientAddress();
    const room = uniqueRoom();
    for (let i = 0; i < 30; i++) {
      const response = await upgrade(room, { "CF-Connecting-IP": address });
      expect(response.status).toBe(101);
      closeSocket(response);
    }
    const refused = await upgrade(room, { "CF-Connecting-IP": address });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({ error: "too-many-joins", message: expect.any(String) });
    // Another address is not affected.
    const other = await upgrade(room, {});
    expect(other.status).toBe(101);
    closeSocket(other);
  });
});

describe("connection checks per address", () => {
  it("spend the join budget: 20 checks and 10 joins, then both answer 429", { timeout: 20_000 }, async () => {
    await clearOfWindowEdge();
    const address = fakeClientAddress();
    const check = () =>
      exports.default.fetch("http://tincan.test/api/ice-servers", { headers: { "CF-Connecting-IP": address } });
    for (let i = 0; i < 20; i++) expect((await check()).status).toBe(200);
    const room = uniqueRoom();
    for (let i = 0; i < 10; i++) {
      const response = await upgrade(room, { "CF-Connecting-IP": address });
      expect(response.status).toBe(101);
      closeSocket(response);
    }
    const refused = await check();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: "too-many-joins", message: expect.any(String) });
    expect((await upgrade(room, { "CF-Connecting-IP": address })).status).toBe(429);
  });
});

describe("room lookups per address", () => {
  it(
    "allows 120 lookups a minute from one address, then answers 429 too-many-requests before waking any room",
    { timeout: 20_000 },
    async () => {
      await clearOfWindowEdge();
      const address = fakeClientAddress();
      const lookup = (room: string, from = address) =>
        exports.default.fetch(`http://tincan.test/api/rooms/${room}`, { headers: { "CF-Connecting-IP": from } });
      for (let i = 0; i < 120; i++) expect((await lookup(uniqueRoom())).status).toBe(200);
      const room = uniqueRoom();
      const refused = await lookup(room);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("Retry-After")).toBe("60");
      expect(await refused.json()).toEqual({ error: "too-many-requests", message: expect.any(String) });
      expect(await roomExists(room)).toBe(false);
      // Another address is not affected, and joins have a budget of their own.
      expect((await lookup(room, fakeClientAddress())).status).toBe(200);
      const join = await upgrade(uniqueRoom(), { "CF-Connecting-IP": address });
      expect(join.status).toBe(101);
      closeSocket(join);
    },
  );
});

/** Peers who send as fast as they can; what came back is collected. */
async function pair(room = uniqueRoom()) {
  const alice = await TestPeer.join(room, "Alice");
  const bob = await TestPeer.join(room, "Bob");
  await alice.next();
  return { room, alice, bob };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("frames per socket", () => {
  it("lets a burst of 300 through untouched", async () => {
    const { alice, bob } = await pair();
    for (let i = 0; i < 300; i++) alice.send({ type: "signal", to: bob.id, data: { i } });
    for (let i = 0; i < 300; i++) expect(await bob.next()).toEqual({ type: "signal", from: alice.id, data: { i } });
    await sleep(50);
    expect(alice.pending()).toEqual([]);
  });

  it("drops a flood past the burst with rate-limited, and the room goes on for everyone", async () => {
    const { alice, bob } = await pair();
    for (let i = 0; i < 500; i++) alice.send({ type: "signal", to: bob.id, data: { i } });
    const delivered: number[] = [];
    let limited = 0;
    // Every one of the 500 frames is answered: delivered to Bob, or refused to Alice.
    while (delivered.length + limited < 500) {
      if (bob.pending().length > 0) delivered.push(((await bob.next()) as unknown as { data: { i: number } }).data.i);
      else if (alice.pending().length > 0) {
        expect(await alice.next()).toMatchObject({ type: "error", code: "rate-limited" });
        limited += 1;
      } else await sleep(10);
    }
    // 500 against a burst of 300: some 200 refused, fewer if the room was slow enough to refill meanwhile.
    expect(limited).toBeGreaterThanOrEqual(50);
    expect(delivered.length).toBeGreaterThanOrEqual(300);
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
    // Bob, who did nothing wrong, is not limited at all.
    bob.send({ type: "signal", to: alice.id, data: { fine: true } });
    expect(await alice.next()).toEqual({ type: "signal", from: bob.id, data: { fine: true } });
    // And Alice gets her budget back with time (50 frames a second).
    await sleep(200);
    alice.send({ type: "signal", to: bob.id, data: { later: true } });
    expect(await bob.next()).toEqual({ type: "signal", from: alice.id, data: { later: true } });
  });

  it("closes a socket that keeps flooding (4008) and frees its seat; others are unaffected", async () => {
    const { room, alice, bob } = await pair();
    const carol = await TestPeer.join(room, "Carol");
    await alice.next();
    await bob.next();
    // More than five times the rate over the 10 s window: 2,500 frames.
    for (let i = 0; i < 2_600; i++) bob.send({ type: "signal", to: alice.id, data: { i } });
    expect(await bob.waitClosed(10_000)).toEqual({ code: 4008, reason: "rate-limited" });
    // Alice got the first 300 of Bob's frames, then Bob's departure.
    const frames: { type: string }[] = [];
    for (;;) {
      const frame = await alice.next();
      frames.push(frame);
      if (frame.type === "peer-left") break;
    }
    expect(frames.filter((f) => f.type === "signal").length).toBeGreaterThanOrEqual(300);
    expect(frames.at(-1)).toEqual({ type: "peer-left", peerId: bob.id });
    const retry = await TestPeer.resume(room, bob.token);
    expect(retry.welcome!.resumed).toBe(false);
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: retry.id, name: retry.welcome!.self.name } });
    carol.send({ type: "signal", to: alice.id, data: { still: "here" } });
    expect(await alice.next()).toEqual({ type: "signal", from: carol.id, data: { still: "here" } });
  });

  it("keeps another room entirely undisturbed by a flood", async () => {
    const abused = await pair();
    const calm = await pair();
    for (let i = 0; i < 1_000; i++) abused.alice.send({ type: "signal", to: abused.bob.id, data: { i } });
    for (let i = 0; i < 100; i++) calm.alice.send({ type: "signal", to: calm.bob.id, data: { i } });
    for (let i = 0; i < 100; i++)
      expect(await calm.bob.next()).toEqual({ type: "signal", from: calm.alice.id, data: { i } });
    await sleep(50);
    expect(calm.alice.pending()).toEqual([]);
  });

  it("never limits an 8-peer mesh doing trickle ICE, even without candidate batching", async () => {
    const room = uniqueRoom();
    const peers: TestPeer[] = [];
    let sent = 0;
    // Per link and direction: one description and 16 single candidates.
    const negotiate = (from: TestPeer, to: TestPeer) => {
      from.send({ type: "signal", to: to.id, data: { description: { type: "offer", sdp: "v=0\r\n".repeat(100) } } });
      for (let c = 0; c < 16; c++) {
        from.send({
          type: "signal",
          to: to.id,
          data: { candidate: { candidate: `candidate:${c} 1 udp 1 10.0.0.1 ${5000 + c} typ host`, sdpMid: "0" } },
        });
      }
      sent += 17;
    };
    for (let n = 0; n < 8; n++) {
      const newcomer = await TestPeer.join(room, `P${n}`);
      for (const old of peers) negotiate(newcomer, old); // the newcomer offers to all at once
      for (const old of peers) negotiate(old, newcomer); // and each answers at once
      peers.push(newcomer);
    }
    // Then one peer's network changes: it restarts ICE on all 7 links and everyone answers.
    const moved = peers[3]!;
    for (const other of peers) if (other !== moved) negotiate(moved, other);
    for (const other of peers) if (other !== moved) negotiate(other, moved);

    await sleep(300);
    const received = peers.flatMap((p) => p.history.map((f) => JSON.parse(f) as { type: string; code?: string }));
    expect(received.filter((f) => f.type === "error")).toEqual([]);
    expect(received.filter((f) => f.type === "signal")).toHaveLength(sent);
  });
});

describe("bounds", () => {
  const nested = (depth: number): unknown => (depth === 0 ? 1 : { d: nested(depth - 1) });

  it(`relays data nested ${MAX_DATA_DEPTH} deep and refuses one level more`, async () => {
    const { alice, bob } = await pair();
    // `data` itself is the first level.
    const deepest = nested(MAX_DATA_DEPTH) as Record<string, unknown>;
    alice.send({ type: "signal", to: bob.id, data: deepest });
    expect(await bob.next()).toEqual({ type: "signal", from: alice.id, data: deepest });
    alice.send({ type: "signal", to: bob.id, data: nested(MAX_DATA_DEPTH + 1) });
    const error = await alice.next();
    expect(error).toMatchObject({ type: "error", code: "bad-message" });
    expect((error as { message: string }).message).toContain("data");
  });

  it("bounds the display name and the addressee's id", async () => {
    const room = uniqueRoom();
    const long = await TestPeer.join(room, "n".repeat(500));
    expect(long.welcome!.self.name).toHaveLength(40);
    long.send({ type: "signal", to: "x".repeat(65), data: {} });
    expect(await long.next()).toMatchObject({ type: "error", code: "bad-message" });
  });
});

describe("logs", () => {
  it("writes one JSON object per line, without tokens, SDP or stack traces", async () => {
    const lines: string[] = [];
    for (const level of ["debug", "info", "warn", "error", "log"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const { log } = await import("../../worker/log");
    log({ logLevel: "debug" }, "info", { event: "probe", room: "r", peer: "p" });
    log({ logLevel: "warn" }, "info", { event: "hidden" });
    log({ logLevel: "none" }, "error", { event: "hidden" });
    log({ logLevel: "info" }, "debug", { event: "hidden" });
    log({ logLevel: "info" }, "info", { event: "shown" });
    expect(lines.map((l) => JSON.parse(l) as { event: string })).toEqual([
      { level: "info", event: "probe", room: "r", peer: "p" },
      { level: "info", event: "shown" },
    ]);
  });
});
