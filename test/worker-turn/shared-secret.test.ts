// The room with a shared-secret TURN server configured (see the
// worker-coturn project in test/vitest.config.ts).
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { IceServer, ServerMessage } from "../../protocol";
import { turnCredential } from "../../worker/turn/shared-secret";
import { TestPeer, uniqueRoom } from "../worker/peers";
import { captureConsole, findLeaks } from "./secrets";

const secret = env.TURN_SECRET!;

async function expectValidTurn(iceServers: IceServer[], peerId: string, expiresAt: number | null): Promise<void> {
  const turn = iceServers.find((s) => s.username !== undefined)!;
  expect(turn.urls).toEqual(["turn:turn.test:3478?transport=udp", "turns:turn.test:443?transport=tcp"]);
  const [expiry, who] = turn.username!.split(":");
  expect(who).toBe(peerId);
  expect(Number(expiry) * 1000).toBe(expiresAt);
  expect(turn.credential).toBe(await turnCredential(secret, turn.username!));
}

describe("a room minting shared-secret TURN credentials", () => {
  it("says so on /api/health, without the secret", async () => {
    const response = await exports.default.fetch("http://tincan.test/api/health");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ turn: "shared-secret" });
    expect(findLeaks([text], secret)).toEqual([]);
  });

  it("puts per-peer credentials expiring at now + TURN_TTL into welcome", async () => {
    const before = Date.now();
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    const welcome = alice.welcome!;
    expect(welcome.iceServers[0]).toEqual({ urls: ["stun:stun.cloudflare.com:3478"] });
    expect(welcome.iceServersExpireAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
    expect(welcome.iceServersExpireAt).toBeLessThanOrEqual(Date.now() + 600_000);
    await expectValidTurn(welcome.iceServers, alice.id, welcome.iceServersExpireAt);
  });

  it("hands fresh credentials to a member that asks", async () => {
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    alice.send({ type: "ice-servers" });
    const fresh = (await alice.next()) as Extract<ServerMessage, { type: "ice-servers" }>;
    expect(fresh.type).toBe("ice-servers");
    expect(fresh.iceServersExpireAt).toBeGreaterThanOrEqual(alice.welcome!.iceServersExpireAt!);
    await expectValidTurn(fresh.iceServers, alice.id, fresh.iceServersExpireAt);
  });

  it("hands credentials over HTTP only at /api/ice-servers, as a join would, and never to a page elsewhere", async () => {
    for (const path of ["/api/turn", "/api/rooms/x/ice-servers", "/api/credentials"]) {
      const response = await exports.default.fetch(`http://tincan.test${path}`);
      expect(response.status).toBe(404);
    }
    const info = await (await exports.default.fetch("http://tincan.test/api/rooms/x")).text();
    expect(info).not.toContain("credential");

    const check = await exports.default.fetch("http://tincan.test/api/ice-servers");
    expect(check.status).toBe(200);
    expect(check.headers.get("Cache-Control")).toBe("no-store");
    expect(check.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const body = (await check.json()) as { iceServers: IceServer[]; iceServersExpireAt: number };
    const turn = body.iceServers.find((s) => s.username !== undefined)!;
    // A throwaway identity: the credentials are valid, and name no peer of any room.
    expect(turn.username).toMatch(/^\d+:check-/);
    await expectValidTurn(body.iceServers, turn.username!.split(":")[1]!, body.iceServersExpireAt);

    const foreign = await exports.default.fetch("http://tincan.test/api/ice-servers", {
      headers: { Origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).not.toContain("credential");
  });

  it("never lets the secret into a frame or a log line over a whole session", async () => {
    const sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    const { result: peers, lines } = await captureConsole(async () => {
      const room = uniqueRoom();
      const alice = await TestPeer.join(room, "Alice");
      const bob = await TestPeer.join(room, "Bob");
      await alice.next();
      alice.send({ type: "signal", to: bob.id, data: { description: { type: "offer", sdp } } });
      await bob.next();
      bob.send({ type: "ice-servers" });
      await bob.next();
      bob.send("{broken");
      await bob.next();
      bob.send({ type: "signal", to: "ghost", data: {} });
      await bob.next();
      bob.close(1001, "away");
      await bob.waitClosed();
      const bob2 = await TestPeer.resume(room, bob.token);
      bob2.send({ type: "leave" });
      await alice.next();
      alice.close();
      await alice.waitClosed();
      return [alice, bob, bob2];
    });
    const frames = peers.flatMap((p) => p.history);
    // Alice: welcome, peer-joined, peer-left. Bob: welcome, signal, ice-servers, two errors. Bob again: welcome.
    expect(frames).toHaveLength(9);
    expect(findLeaks(frames, secret)).toEqual([]);
    expect(findLeaks(lines, secret)).toEqual([]);

    // The logs (all levels on in this project) are one JSON object per line,
    // saying what happened, never with a resume token or SDP.
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const events = lines.map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(["join", "drop", "resume", "leave"]));
    const tokens = peers.map((p) => p.welcome!.resumeToken.split(".")[1]!);
    for (const line of lines) {
      for (const token of tokens) expect(line).not.toContain(token);
      expect(line).not.toContain("v=0");
      expect(line).not.toContain("4611731400430051336");
    }
  });

  it("mints nothing for a knocker, credentials of its own once admitted, and logs the lock by ids, never names", async () => {
    const room = uniqueRoom();
    const { result: ids, lines } = await captureConsole(async () => {
      const alice = await TestPeer.join(room, "Alice Secretname");
      alice.send({ type: "lock", locked: true });
      await alice.next();
      const carol = await TestPeer.connect(room, "?name=Carol%20Hiddenname");
      const lobby = await carol.next();
      if (lobby.type !== "lobby") throw new Error(`expected lobby, got ${JSON.stringify(lobby)}`);
      expect(carol.history).toHaveLength(1);
      await alice.next(); // knock
      alice.send({ type: "admit", peerId: lobby.id });
      const welcome = (await carol.next()) as Extract<ServerMessage, { type: "welcome" }>;
      await expectValidTurn(welcome.iceServers, lobby.id, welcome.iceServersExpireAt);

      const dave = await TestPeer.connect(room, "?name=Dave%20Unsaidname");
      const daveLobby = await dave.next();
      if (daveLobby.type !== "lobby") throw new Error(`expected lobby, got ${JSON.stringify(daveLobby)}`);
      alice.send({ type: "deny", peerId: daveLobby.id });
      await dave.waitClosed();
      alice.send({ type: "lock", locked: false });
      while ((await alice.next()).type !== "room");
      return { alice: alice.id, carol: lobby.id, dave: daveLobby.id };
    });
    const events = lines.map((l) => JSON.parse(l) as { event?: string; peer?: string; by?: string });
    expect(events).toContainEqual(expect.objectContaining({ event: "lock", peer: ids.alice }));
    expect(events).toContainEqual(expect.objectContaining({ event: "knock", peer: ids.carol }));
    expect(events).toContainEqual(expect.objectContaining({ event: "admit", peer: ids.carol, by: ids.alice }));
    expect(events).toContainEqual(expect.objectContaining({ event: "deny", peer: ids.dave, by: ids.alice }));
    expect(events).toContainEqual(expect.objectContaining({ event: "unlock", peer: ids.alice }));
    expect(lines.join("\n")).not.toMatch(/Secretname|Hiddenname|Unsaidname/);
  });
});
