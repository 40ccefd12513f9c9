// Seats held through a dropped socket, resumed with a token (default grace:
// 20 s, so nothing here runs out; test/worker-timing covers expiry).
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TestPeer, uniqueRoom } from "./peers";

function roomStub(room: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(room.toLowerCase()));
}

async function alarmOf(room: string): Promise<number | null> {
  return runInDurableObject(roomStub(room), (_instance, state) => state.storage.getAlarm());
}

/** A frame from `via` is the very next thing `peer` receives: nothing else came first. */
async function expectNothingBefore(peer: TestPeer, via: TestPeer): Promise<void> {
  via.send({ type: "signal", to: peer.id, data: { marker: true } });
  expect(await peer.next()).toEqual({ type: "signal", from: via.id, data: { marker: true } });
}

/** Alice and Bob in a fresh room, Bob's socket dropped without a leave. */
async function bobDropped(): Promise<{ room: string; alice: TestPeer; bob: TestPeer }> {
  const room = uniqueRoom();
  const alice = await TestPeer.join(room, "Alice");
  const bob = await TestPeer.join(room, "Bob");
  expect(await alice.next()).toMatchObject({ type: "peer-joined" });
  bob.close(1001, "going away"); // what a browser sends when a tab goes away
  await bob.waitClosed();
  return { room, alice, bob };
}

describe("holding a dropped peer's seat", () => {
  it("tells nobody, keeps the seat, and still lists the peer", async () => {
    const { room, alice, bob } = await bobDropped();
    expect(await roomStub(room).info()).toEqual({ peers: 2, capacity: 8, locked: false });
    const carol = await TestPeer.join(room, "Carol");
    expect(carol.welcome!.peers.map((p) => p.id)).toEqual([alice.id, bob.id]);
    // Alice's next frame is Carol's join: no peer-left for Bob came before it.
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: carol.id, name: "Carol" } });
  });

  it("sets one alarm, for the end of the grace, only while someone is away", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    alice.send('{ "type": "ping" }');
    await alice.next(); // peer-joined
    await alice.next(); // pong
    expect(await alarmOf(room)).toBeNull();

    const droppedAt = Date.now();
    bob.close(1001, "gone");
    await bob.waitClosed();
    await expect.poll(() => alarmOf(room)).not.toBeNull();
    const alarm = (await alarmOf(room))!;
    expect(alarm).toBeGreaterThanOrEqual(droppedAt + 19_000);
    expect(alarm).toBeLessThanOrEqual(Date.now() + 20_000);

    const back = await TestPeer.resume(room, bob.token);
    expect(back.welcome!.resumed).toBe(true);
    await expect.poll(() => alarmOf(room)).toBeNull();
  });
});

describe("resuming", () => {
  it("gives the same id back, then every kept signal in order, then live relay; nobody sees a leave, a join or a peer-resumed (nothing sent to it was lost)", async () => {
    const { room, alice, bob } = await bobDropped();
    for (let i = 0; i < 5; i++) alice.send({ type: "signal", to: bob.id, data: { n: i } });

    const back = await TestPeer.resume(room, bob.token);
    expect(back.welcome).toMatchObject({
      type: "welcome",
      self: { id: bob.id, name: "Bob" },
      peers: [{ id: alice.id, name: "Alice" }],
      resumed: true,
    });
    expect(back.welcome!.resumeToken).not.toBe(bob.token);
    for (let i = 0; i < 5; i++) expect(await back.next()).toEqual({ type: "signal", from: alice.id, data: { n: i } });
    alice.send({ type: "signal", to: bob.id, data: { live: true } });
    expect(await back.next()).toEqual({ type: "signal", from: alice.id, data: { live: true } });
    await expectNothingBefore(alice, back);
  });

  it("keeps the signals through an eviction during the grace", async () => {
    const { room, alice, bob } = await bobDropped();
    for (let i = 0; i < 3; i++) alice.send({ type: "signal", to: bob.id, data: { n: i } });
    // A round trip through the room: the three signals have been handled.
    alice.send('{ "type": "ping" }');
    expect(await alice.next()).toEqual({ type: "pong" });
    await evictDurableObject(roomStub(room));

    const back = await TestPeer.resume(room, bob.token);
    expect(back.welcome).toMatchObject({ self: { id: bob.id }, resumed: true });
    for (let i = 0; i < 3; i++) expect(await back.next()).toEqual({ type: "signal", from: alice.id, data: { n: i } });
  });

  it("brings a whole room back after an eviction that closed every socket (a restart or deploy)", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    await evictDurableObject(roomStub(room), { webSockets: "close" });
    await alice.waitClosed();
    await bob.waitClosed();

    const alice2 = await TestPeer.resume(room, alice.token);
    const bob2 = await TestPeer.resume(room, bob.token);
    expect(alice2.welcome).toMatchObject({ self: { id: alice.id }, resumed: true, peers: [{ id: bob.id }] });
    expect(bob2.welcome).toMatchObject({ self: { id: bob.id }, resumed: true, peers: [{ id: alice.id }] });
    await expectNothingBefore(alice2, bob2);
    await expectNothingBefore(bob2, alice2);
  });

  it("closes the old socket with 4002 replaced when a second socket resumes a live identity, and tells the others", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    const bob2 = await TestPeer.resume(room, bob.token);
    expect(bob2.welcome).toMatchObject({ self: { id: bob.id }, resumed: true });
    expect(await bob.waitClosed()).toEqual({ code: 4002, reason: "replaced" });
    // What went into the old socket lately may be lost (a network change
    // leaves it open and dead): the others hear so, and nothing else.
    expect(await alice.next()).toEqual({ type: "peer-resumed", peerId: bob.id });
    alice.send({ type: "signal", to: bob.id, data: { to: "the new socket" } });
    expect(await bob2.next()).toEqual({ type: "signal", from: alice.id, data: { to: "the new socket" } });
    await expectNothingBefore(alice, bob2);
    expect(await roomStub(room).info()).toEqual({ peers: 2, capacity: 8, locked: false });
  });

  it("gives a fresh identity for a wrong, foreign, used or released token", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const elsewhere = await TestPeer.join(uniqueRoom(), "Elsewhere");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    bob.close(1001, "gone");
    await bob.waitClosed();
    const back = await TestPeer.resume(room, bob.token); // rotates Bob's token

    const wrongSecret = `${alice.id}.${"0".repeat(32)}`;
    for (const token of ["garbage", wrongSecret, elsewhere.token, bob.token, `${bob.id}.`, ""]) {
      const fresh = await TestPeer.resume(room, token);
      expect(fresh.welcome!.resumed).toBe(false);
      expect([alice.id, bob.id, elsewhere.id]).not.toContain(fresh.id);
      expect(await alice.next()).toEqual({
        type: "peer-joined",
        peer: { id: fresh.id, name: fresh.welcome!.self.name },
      });
      expect(await back.next()).toMatchObject({ type: "peer-joined" });
      fresh.send({ type: "leave" });
      expect(await alice.next()).toEqual({ type: "peer-left", peerId: fresh.id });
      expect(await back.next()).toMatchObject({ type: "peer-left" });
    }

    // After a leave the seat is gone: its token is worth nothing.
    alice.send({ type: "leave" });
    await alice.waitClosed();
    const afterLeave = await TestPeer.resume(room, alice.token);
    expect(afterLeave.welcome!.resumed).toBe(false);
    expect(afterLeave.id).not.toBe(alice.id);
  });
});

describe("capacity with held seats", () => {
  it("counts a seat held in grace; its owner can still come back", async () => {
    const room = uniqueRoom();
    const peers: TestPeer[] = [];
    for (let i = 0; i < 8; i++) peers.push(await TestPeer.join(room, `P${i}`));
    const away = peers[7]!;
    away.close(1001, "gone");
    await away.waitClosed();

    const late = await TestPeer.connect(room, "?name=Late");
    expect(await late.next()).toMatchObject({ type: "error", code: "room-full" });
    expect((await late.waitClosed()).code).toBe(4001);

    const back = await TestPeer.resume(room, away.token);
    expect(back.welcome).toMatchObject({ self: { id: away.id }, resumed: true });
  });
});

describe("kept signals for an away peer", () => {
  it("keeps at most 256 frames, then tells the sender peer-away-overflow", async () => {
    const { room, alice, bob } = await bobDropped();
    // Paced to stay within Alice's own frame budget (a burst of 200, 50/s).
    for (let i = 0; i < 256; i++) {
      if (i === 180) await new Promise((resolve) => setTimeout(resolve, 2_000));
      alice.send({ type: "signal", to: bob.id, data: { n: i } });
    }
    alice.send({ type: "signal", to: bob.id, data: { n: 256 } });
    expect(await alice.next()).toEqual({
      type: "error",
      code: "peer-away-overflow",
      message: expect.any(String),
      to: bob.id,
    });
    const back = await TestPeer.resume(room, bob.token);
    for (let i = 0; i < 256; i++) expect(await back.next()).toEqual({ type: "signal", from: alice.id, data: { n: i } });
    await expectNothingBefore(back, alice);
  });

  it("keeps at most 256 KiB, then tells the sender", async () => {
    const { room, alice, bob } = await bobDropped();
    const big = "x".repeat(60_000);
    for (let i = 0; i < 4; i++) alice.send({ type: "signal", to: bob.id, data: { big, i } });
    alice.send({ type: "signal", to: bob.id, data: { big, i: 4 } });
    expect(await alice.next()).toMatchObject({ type: "error", code: "peer-away-overflow", to: bob.id });
    // A small frame still fits under the byte bound.
    alice.send({ type: "signal", to: bob.id, data: { small: true } });
    const back = await TestPeer.resume(room, bob.token);
    for (let i = 0; i < 4; i++) expect(await back.next()).toMatchObject({ type: "signal", data: { i } });
    expect(await back.next()).toEqual({ type: "signal", from: alice.id, data: { small: true } });
    await expectNothingBefore(alice, back);
  });
});
