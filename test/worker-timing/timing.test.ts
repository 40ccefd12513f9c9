// Grace and idle timeouts running out, with this project's short settings:
// RESUME_GRACE_SECONDS=1, IDLE_TIMEOUT_SECONDS=2 (see test/vitest.config.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PING_FRAME, PONG_FRAME } from "../../protocol";
import { TestPeer, uniqueRoom } from "../worker/peers";

function roomStub(room: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(room.toLowerCase()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("when the grace runs out", () => {
  it("tells the others peer-left, frees the seat and voids the token", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    bob.close(1001, "gone");
    await bob.waitClosed();
    alice.send({ type: "signal", to: bob.id, data: { kept: "then dropped" } });

    // The alarm fires about 1 s later, without any other event.
    expect(await alice.next(4_000)).toEqual({ type: "peer-left", peerId: bob.id });
    expect(await roomStub(room).info()).toEqual({ peers: 1, capacity: 8, locked: false });
    const late = await TestPeer.resume(room, bob.token);
    expect(late.welcome!.resumed).toBe(false);
    expect(late.id).not.toBe(bob.id);
    // Nothing kept for the old identity reaches anyone.
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: late.id, name: late.welcome!.self.name } });
    await sleep(100);
    expect(late.pending()).toEqual([]);
  });
});

describe("idle sockets", () => {
  it("drops a silent socket, judging the other by its auto-answered pings", async () => {
    const room = uniqueRoom();
    const pinger = await TestPeer.join(room, "Pinger");
    const silent = await TestPeer.join(room, "Silent");
    await pinger.next();

    // Pinger only pings (answered by the runtime, never reaching the room)
    // for longer than the 2 s idle timeout; Silent sends nothing at all.
    for (let i = 0; i < 7; i++) {
      pinger.send(PING_FRAME);
      expect(await pinger.nextFrame()).toBe(PONG_FRAME);
      await sleep(400);
    }
    // Any frame that reaches the room lets it check.
    pinger.send('{ "type": "ping" }');
    expect(await pinger.next()).toEqual({ type: "pong" });

    expect(await silent.waitClosed()).toEqual({ code: 4003, reason: "idle" });
    // The silent one's seat enters the grace, then is released.
    expect(await pinger.next(4_000)).toEqual({ type: "peer-left", peerId: silent.id });
    pinger.send(PING_FRAME);
    expect(await pinger.nextFrame()).toBe(PONG_FRAME);
  });

  it("lets an idle-dropped peer resume within the grace, unnoticed by the others", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    await sleep(2_200);
    // Alice's frame shows she is alive and lets the room check on Bob.
    alice.send({ type: "signal", to: bob.id, data: { n: 1 } });
    expect(await bob.waitClosed()).toEqual({ code: 4003, reason: "idle" });
    const bob2 = await TestPeer.resume(room, bob.token);
    expect(bob2.welcome).toMatchObject({ self: { id: bob.id }, resumed: true });
    // The room dropped Bob before relaying Alice's frame, so it was kept for him.
    expect(await bob2.next()).toEqual({ type: "signal", from: alice.id, data: { n: 1 } });
    alice.send({ type: "signal", to: bob.id, data: { n: 2 } });
    expect(await bob2.next()).toEqual({ type: "signal", from: alice.id, data: { n: 2 } });
    expect(alice.pending()).toEqual([]);
  });
});
