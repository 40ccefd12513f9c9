import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES, PING_FRAME, PONG_FRAME, type ServerMessage } from "../../protocol";
import { TestPeer, uniqueRoom } from "./peers";

function roomStub(room: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(room));
}

/**
 * Proves `peer` received nothing since its last read: a marker sent from
 * `via` must be the very next frame, because the room delivers in order.
 */
async function expectNothingBefore(peer: TestPeer, via: TestPeer): Promise<void> {
  via.send({ type: "signal", to: peer.id, data: { marker: true } });
  expect(await peer.next()).toEqual({ type: "signal", from: via.id, data: { marker: true } });
}

describe("joining", () => {
  it("welcomes a newcomer with its id, name, the others, capacity and ICE servers", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    expect(alice.welcome).toEqual({
      type: "welcome",
      self: { id: expect.any(String), name: "Alice" },
      peers: [],
      capacity: 8,
      iceServers: [{ urls: ["stun:stun.cloudflare.com:3478"] }],
      iceServersExpireAt: null,
      resumeToken: expect.stringMatching(new RegExp(`^${alice.id}\\.[0-9a-f]{32}$`)),
      resumed: false,
      locked: false,
      lockedBy: null,
    });
    const bob = await TestPeer.join(room, "Bob");
    expect(bob.welcome?.peers).toEqual([{ id: alice.id, name: "Alice" }]);
    expect(bob.id).not.toBe(alice.id);
    expect(bob.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("tells everyone else about a join, and nobody about their own", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: bob.id, name: "Bob" } });
    const carol = await TestPeer.join(room, "Carol");
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: carol.id, name: "Carol" } });
    expect(await bob.next()).toEqual({ type: "peer-joined", peer: { id: carol.id, name: "Carol" } });
    await expectNothingBefore(carol, alice);
  });

  it("cleans display names: control and format characters, length, a default", async () => {
    const room = uniqueRoom();
    const messy = await TestPeer.join(room, "  Ev\u0000e\u202e\u0007  ");
    expect(messy.welcome?.self.name).toBe("Eve");
    const long = await TestPeer.join(room, "😀".repeat(50));
    expect(long.welcome?.self.name).toBe("😀".repeat(40));
    const nameless = await TestPeer.join(room);
    expect(nameless.welcome?.self.name).toMatch(/^Guest \d{4}$/);
    const blank = await TestPeer.join(room, " \t ");
    expect(blank.welcome?.self.name).toMatch(/^Guest \d{4}$/);
  });

  it("treats room names case-insensitively", async () => {
    const room = uniqueRoom("Case");
    const upper = await TestPeer.join(room.toUpperCase(), "Upper");
    const lower = await TestPeer.join(room.toLowerCase(), "Lower");
    expect(lower.welcome?.peers).toEqual([{ id: upper.id, name: "Upper" }]);
  });
});

describe("leaving", () => {
  it("announces `leave` at once and closes the socket with 1000", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next(); // peer-joined Bob
    bob.send({ type: "leave" });
    expect(await alice.next()).toEqual({ type: "peer-left", peerId: bob.id });
    expect((await bob.waitClosed()).code).toBe(1000);
    // Announced once only, although the socket also closed afterwards.
    const carol = await TestPeer.join(room, "Carol");
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: carol.id, name: "Carol" } });
    expect(carol.welcome?.peers).toEqual([{ id: alice.id, name: "Alice" }]);
  });
});

describe("directed delivery", () => {
  it("delivers a signal to its addressee only, stamped with the real sender", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    const carol = await TestPeer.join(room, "Carol");
    await alice.next(); // Bob joined
    await alice.next(); // Carol joined
    await bob.next(); // Carol joined

    const data = { description: { type: "offer", sdp: "v=0\r\n" }, nested: { list: [1, 2, 3] } };
    alice.send({ type: "signal", to: bob.id, from: carol.id, data });
    expect(await bob.next()).toEqual({ type: "signal", from: alice.id, data });
    await expectNothingBefore(carol, bob);
    await expectNothingBefore(alice, bob);
  });

  it("answers a signal to a peer that is not in the room with unknown-peer", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    alice.send({ type: "signal", to: "nobody-here", data: {} });
    expect(await alice.next()).toEqual({
      type: "error",
      code: "unknown-peer",
      message: expect.any(String),
      to: "nobody-here",
    });
  });

  it("keeps rooms apart: a peer id from another room is unknown", async () => {
    const roomA = uniqueRoom("a");
    const roomB = uniqueRoom("b");
    const inA = await TestPeer.join(roomA, "In A");
    const inB = await TestPeer.join(roomB, "In B");
    const alsoB = await TestPeer.join(roomB, "Also B");
    await inB.next();
    inB.send({ type: "signal", to: inA.id, data: { hello: 1 } });
    expect(await inB.next()).toMatchObject({ type: "error", code: "unknown-peer", to: inA.id });
    // Nothing crossed over: the next thing room A's peer hears is a local join.
    const probe = await TestPeer.join(roomA, "Probe");
    expect(await inA.next()).toEqual({ type: "peer-joined", peer: { id: probe.id, name: "Probe" } });
    await expectNothingBefore(alsoB, inB);
  });
});

describe("bad input", () => {
  const cases: [string, string | ArrayBuffer, string][] = [
    ["not JSON", "{nope", "bad-json"],
    ["truncated JSON", '{"type":"signal","to":"x"', "bad-json"],
    ["a JSON array", "[1,2]", "bad-message"],
    ["a JSON string", '"signal"', "bad-message"],
    ["no type", '{"to":"x"}', "bad-message"],
    ["a numeric type", '{"type":7}', "bad-message"],
    ["an unknown type", '{"type":"dance"}', "unknown-type"],
    ["a signal without `to`", '{"type":"signal","data":{}}', "bad-message"],
    ["a signal with a numeric `to`", '{"type":"signal","to":5,"data":{}}', "bad-message"],
    ["a signal whose data is an array", '{"type":"signal","to":"x","data":[]}', "bad-message"],
    ["a signal whose data is null", '{"type":"signal","to":"x","data":null}', "bad-message"],
    ["a binary frame", new TextEncoder().encode('{"type":"leave"}').buffer as ArrayBuffer, "bad-message"],
    [
      "a frame over 64 KiB",
      JSON.stringify({ type: "signal", to: "x", data: { pad: "x".repeat(MAX_FRAME_BYTES) } }),
      "too-large",
    ],
  ];

  it.each(cases)("answers %s with its error code and changes nothing for anyone", async (_, frame, code) => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    bob.send(frame);
    const error = await bob.next();
    expect(error).toEqual({ type: "error", code, message: expect.any(String) });
    // Still open and still relaying; Alice heard nothing of it.
    bob.send({ type: "signal", to: alice.id, data: { after: true } });
    expect(await alice.next()).toEqual({ type: "signal", from: bob.id, data: { after: true } });
    expect(alice.pending()).toEqual([]);
  });

  it("names the offending field in bad-message", async () => {
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    alice.send({ type: "signal", to: 42, data: {} });
    const error = (await alice.next()) as Extract<ServerMessage, { type: "error" }>;
    expect(error.code).toBe("bad-message");
    expect(error.message).toContain("to");
  });

  it("measures the limit in UTF-8 bytes, not characters", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    // 30,000 three-byte characters: under the limit in characters, over it in bytes.
    bob.send({ type: "signal", to: alice.id, data: { text: "€".repeat(30_000) } });
    expect(await bob.next()).toMatchObject({ type: "error", code: "too-large" });
    const fits = { text: "€".repeat(20_000) };
    bob.send({ type: "signal", to: alice.id, data: fits });
    expect(await alice.next()).toEqual({ type: "signal", from: bob.id, data: fits });
  });

  it("relays a __proto__ key as plain data", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();
    bob.send(`{"type":"signal","to":"${alice.id}","data":{"__proto__":{"polluted":true},"constructor":{"x":1}}}`);
    const frame = await alice.nextFrame();
    expect(frame).toBe(
      `{"type":"signal","from":"${bob.id}","data":{"__proto__":{"polluted":true},"constructor":{"x":1}}}`,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("capacity", () => {
  it("turns away the socket past capacity with room-full and close 4001, unheard by the room", async () => {
    const room = uniqueRoom();
    const members: TestPeer[] = [];
    for (let i = 0; i < 8; i++) members.push(await TestPeer.join(room, `P${i}`));
    const first = members[0]!;
    for (let i = 1; i < 8; i++) expect((await first.next()).type).toBe("peer-joined");

    const late = await TestPeer.connect(room, "?name=Late");
    expect(await late.next()).toEqual({ type: "error", code: "room-full", message: expect.any(String) });
    expect(await late.waitClosed()).toEqual({ code: 4001, reason: "room-full" });
    await expectNothingBefore(first, members[1]!);
    expect(await roomStub(room.toLowerCase()).info()).toEqual({ peers: 8, capacity: 8, locked: false });

    // A seat frees up: the next one gets in.
    members[7]!.send({ type: "leave" });
    expect(await first.next()).toEqual({ type: "peer-left", peerId: members[7]!.id });
    const next = await TestPeer.join(room, "Next");
    expect(next.welcome?.peers).toHaveLength(7);
  });
});

describe("liveness", () => {
  it("answers the exact ping frame through the auto-response", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    alice.send(PING_FRAME);
    expect(await alice.nextFrame()).toBe(PONG_FRAME);
    const answered = await runInDurableObject(roomStub(room.toLowerCase()), (_instance, state) =>
      state.getWebSockets().map((ws) => state.getWebSocketAutoResponseTimestamp(ws)),
    );
    expect(answered).toHaveLength(1);
    expect(answered[0]).toBeInstanceOf(Date);
  });

  it("answers a ping spelled differently too", async () => {
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    alice.send('{ "type": "ping" }');
    expect(await alice.next()).toEqual({ type: "pong" });
  });
});

describe("hibernation and eviction", () => {
  it("still knows who is who and relays after the object is evicted", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next();

    await evictDurableObject(roomStub(room.toLowerCase()));

    bob.send({ type: "signal", to: alice.id, data: { after: "eviction" } });
    expect(await alice.next()).toEqual({ type: "signal", from: bob.id, data: { after: "eviction" } });
    const carol = await TestPeer.join(room, "Carol");
    expect(carol.welcome?.peers).toHaveLength(2);
    expect(carol.welcome?.peers).toEqual(
      expect.arrayContaining([
        { id: alice.id, name: "Alice" },
        { id: bob.id, name: "Bob" },
      ]),
    );
    bob.send({ type: "leave" });
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: carol.id, name: "Carol" } });
    expect(await alice.next()).toEqual({ type: "peer-left", peerId: bob.id });
  });
});
