// A locked room: newcomers knock and wait in the lobby until a seated peer
// admits or denies them; the lock outlives an eviction and ends with the
// last seat.
import { evictDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CloseCode, ErrorCode, LOBBY_CAPACITY, type ServerMessage } from "../../protocol";
import { TestPeer, uniqueRoom } from "./peers";

function roomStub(room: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(room.toLowerCase()));
}

async function status(room: string): Promise<unknown> {
  return (await exports.default.fetch(`http://tincan.test/api/rooms/${room}`)).json();
}

/** A knocker: its first frame is `lobby` with the id it would have. */
async function knock(room: string, name: string): Promise<{ peer: TestPeer; id: string }> {
  const peer = await TestPeer.connect(room, `?name=${encodeURIComponent(name)}`);
  const first = await peer.next();
  if (first.type !== "lobby") throw new Error(`expected lobby, got ${JSON.stringify(first)}`);
  return { peer, id: first.id };
}

/** A round trip through the room: everything `peer` sent before has been handled. */
async function roundTrip(peer: TestPeer): Promise<void> {
  peer.send('{ "type" : "ping" }');
  expect(await peer.next()).toEqual({ type: "pong" });
}

/** Reads `peer`'s frames up to the answer to a ping: the room has handled everything before it. */
async function drain(peer: TestPeer): Promise<void> {
  peer.send('{ "type" : "ping" }');
  while ((await peer.next()).type !== "pong");
}

/** Alice alone in a room she locked (her `room` frame read). */
async function lockedByAlice(): Promise<{ room: string; alice: TestPeer }> {
  const room = uniqueRoom();
  const alice = await TestPeer.join(room, "Alice");
  alice.send({ type: "lock", locked: true });
  expect(await alice.next()).toEqual({ type: "room", locked: true, by: alice.id });
  return { room, alice };
}

describe("locking a room", () => {
  it("tells every seated peer who locked and unlocked it, and says so to newcomers and over HTTP", async () => {
    const room = uniqueRoom();
    const alice = await TestPeer.join(room, "Alice");
    const bob = await TestPeer.join(room, "Bob");
    await alice.next(); // Bob joined
    expect(bob.welcome).toMatchObject({ locked: false, lockedBy: null });

    bob.send({ type: "lock", locked: true });
    for (const peer of [alice, bob]) expect(await peer.next()).toEqual({ type: "room", locked: true, by: bob.id });
    expect(await status(room)).toMatchObject({ peers: 2, locked: true });

    alice.send({ type: "lock", locked: false });
    for (const peer of [alice, bob]) expect(await peer.next()).toEqual({ type: "room", locked: false, by: alice.id });
    expect(await status(room)).toMatchObject({ locked: false });
  });

  it("checks the frames: `locked` must be a boolean and `peerId` a string", async () => {
    const alice = await TestPeer.join(uniqueRoom(), "Alice");
    alice.send({ type: "lock", locked: "yes" });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.badMessage });
    alice.send({ type: "admit", peerId: 7 });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.badMessage });
    alice.send({ type: "deny" });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.badMessage });
  });

  it("keeps the lock through an eviction that closed every socket, and lets the seat holder resume into it", async () => {
    const { room, alice } = await lockedByAlice();
    await evictDurableObject(roomStub(room), { webSockets: "close" });
    await alice.waitClosed();
    expect(await status(room)).toMatchObject({ peers: 1, locked: true });

    // Resuming is not knocking: the token takes the seat back.
    const back = await TestPeer.resume(room, alice.token);
    expect(back.welcome).toMatchObject({ self: { id: alice.id }, resumed: true, locked: true, lockedBy: alice.id });
    const { id } = await knock(room, "Carol");
    expect(await back.next()).toEqual({ type: "knock", peer: { id, name: "Carol" } });
  });
});

describe("knocking", () => {
  it("holds a newcomer of a locked room unseated: a lobby frame, a knock for everyone inside, in nobody's peers", async () => {
    const { room, alice } = await lockedByAlice();
    const { peer: carol, id } = await knock(room, "Carol");
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await alice.next()).toEqual({ type: "knock", peer: { id, name: "Carol" } });
    expect(await status(room)).toMatchObject({ peers: 1, locked: true });

    // Only ping and leave: anything else is refused and relayed to nobody.
    carol.send({ type: "signal", to: alice.id, data: { sneaky: true } });
    expect(await carol.next()).toMatchObject({ type: "error", code: ErrorCode.notAdmitted });
    carol.send({ type: "lock", locked: false });
    expect(await carol.next()).toMatchObject({ type: "error", code: ErrorCode.notAdmitted });
    carol.send({ type: "admit", peerId: id });
    expect(await carol.next()).toMatchObject({ type: "error", code: ErrorCode.notAdmitted });
    carol.send({ type: "ice-servers" });
    expect(await carol.next()).toMatchObject({ type: "error", code: ErrorCode.notAdmitted });
    await roundTrip(carol);
    await roundTrip(alice);
    expect(alice.pending()).toEqual([]);
    expect(await status(room)).toMatchObject({ peers: 1, locked: true });
    // Not a peer: a signal to its id is for nobody.
    alice.send({ type: "signal", to: id, data: {} });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.unknownPeer, to: id });
  });

  it("admits on a seated peer's word: a full welcome for the knocker, the end of the knock and a join for the others", async () => {
    const { room, alice } = await lockedByAlice();
    const { peer: carol, id } = await knock(room, "Carol");
    await alice.next(); // knock
    alice.send({ type: "admit", peerId: id });
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: id, outcome: "admitted" });
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id, name: "Carol" } });

    const welcome = await carol.next();
    expect(welcome).toMatchObject({
      type: "welcome",
      self: { id, name: "Carol" },
      peers: [{ id: alice.id, name: "Alice" }],
      iceServers: [{ urls: ["stun:stun.cloudflare.com:3478"] }],
      resumed: false,
      locked: true,
      lockedBy: alice.id,
    });
    // A real seat: it signals, and its token resumes it.
    carol.send({ type: "signal", to: alice.id, data: { hello: 1 } });
    expect(await alice.next()).toEqual({ type: "signal", from: id, data: { hello: 1 } });
    carol.close(1001, "gone");
    await carol.waitClosed();
    const back = await TestPeer.resume(room, (welcome as Extract<ServerMessage, { type: "welcome" }>).resumeToken);
    expect(back.welcome).toMatchObject({ self: { id }, resumed: true });
  });

  it("denies on a seated peer's word: the knocker is told `denied` and closed with 4004", async () => {
    const { room, alice } = await lockedByAlice();
    const { peer: carol, id } = await knock(room, "Carol");
    await alice.next(); // knock
    alice.send({ type: "deny", peerId: id });
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: id, outcome: "denied" });
    expect(await carol.next()).toMatchObject({ type: "error", code: ErrorCode.denied });
    expect((await carol.waitClosed()).code).toBe(CloseCode.denied);
    expect(await status(room)).toMatchObject({ peers: 1 });
  });

  it("takes the first answer when two seated peers answer at once; the second hears `unknown-knock`", async () => {
    const { room, alice } = await lockedByAlice();
    const bob = await knock(room, "Bob");
    await alice.next(); // knock
    alice.send({ type: "admit", peerId: bob.id });
    await alice.next(); // knock-ended
    await alice.next(); // peer-joined
    expect(await bob.peer.next()).toMatchObject({ type: "welcome" });

    const carol = await knock(room, "Carol");
    for (const peer of [alice, bob.peer]) expect(await peer.next()).toMatchObject({ type: "knock" });
    // Both at once: Alice's frame is sent first, so it reaches the room first.
    alice.send({ type: "deny", peerId: carol.id });
    bob.peer.send({ type: "admit", peerId: carol.id });
    for (const peer of [alice, bob.peer]) {
      expect(await peer.next()).toEqual({ type: "knock-ended", peerId: carol.id, outcome: "denied" });
    }
    expect(await bob.peer.next()).toEqual({
      type: "error",
      code: ErrorCode.unknownKnock,
      message: expect.any(String),
      peerId: carol.id,
    });
    expect((await carol.peer.waitClosed()).code).toBe(CloseCode.denied);
    expect(await status(room)).toMatchObject({ peers: 2 });
  });

  it("answers a knock nobody is waiting on with `unknown-knock`", async () => {
    const { alice } = await lockedByAlice();
    alice.send({ type: "admit", peerId: "nobody-here" });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.unknownKnock, peerId: "nobody-here" });
    alice.send({ type: "deny", peerId: alice.id });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.unknownKnock, peerId: alice.id });
  });

  it("ends the knock as `gone` when the knocker leaves or drops, with no seat and no grace", async () => {
    const { room, alice } = await lockedByAlice();
    const carol = await knock(room, "Carol");
    const dave = await knock(room, "Dave");
    await alice.next();
    await alice.next();
    carol.peer.send({ type: "leave" });
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: carol.id, outcome: "gone" });
    expect((await carol.peer.waitClosed()).code).toBe(1000);
    dave.peer.close(1001, "tab closed");
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: dave.id, outcome: "gone" });
    alice.send({ type: "admit", peerId: dave.id });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.unknownKnock });
  });

  it("tells a peer seated while knocks are pending about each of them, right after its welcome", async () => {
    const { room, alice } = await lockedByAlice();
    const carol = await knock(room, "Carol");
    const dave = await knock(room, "Dave");
    await alice.next();
    await alice.next();
    alice.send({ type: "admit", peerId: carol.id });
    expect(await carol.peer.next()).toMatchObject({ type: "welcome", peers: [{ id: alice.id }] });
    expect(await carol.peer.next()).toEqual({ type: "knock", peer: { id: dave.id, name: "Dave" } });
  });

  it("holds at most 8 knockers; the next is told `lobby-full` and closed with 4005", async () => {
    const { room, alice } = await lockedByAlice();
    const waiting = [];
    for (let i = 0; i < LOBBY_CAPACITY; i++) waiting.push(await knock(room, `K${i}`));
    const ninth = await TestPeer.connect(room, "?name=Late");
    expect(await ninth.next()).toMatchObject({ type: "error", code: ErrorCode.lobbyFull });
    expect((await ninth.waitClosed()).code).toBe(CloseCode.lobbyFull);
    for (let i = 0; i < LOBBY_CAPACITY; i++) expect(await alice.next()).toMatchObject({ type: "knock" });
    // A place frees when someone gives up.
    waiting[0]!.peer.send({ type: "leave" });
    expect(await alice.next()).toMatchObject({ type: "knock-ended", outcome: "gone" });
    await knock(room, "Later");
  });
});

describe("a locked room that is full", () => {
  /** Alice and six more seated (seven of eight seats), the room locked by Alice. */
  async function sevenSeated(): Promise<{ room: string; alice: TestPeer; others: TestPeer[] }> {
    const { room, alice } = await lockedByAlice();
    alice.send({ type: "lock", locked: false });
    await alice.next();
    const others: TestPeer[] = [];
    for (let i = 0; i < 6; i++) others.push(await TestPeer.join(room, `P${i}`));
    for (let i = 0; i < 6; i++) await alice.next(); // peer-joined
    alice.send({ type: "lock", locked: true });
    await alice.next();
    for (const peer of others) await drain(peer);
    return { room, alice, others };
  }

  it("turns a newcomer away with `room-full` and 4001, not into the lobby", async () => {
    const { room, alice } = await sevenSeated();
    const eighth = await knock(room, "Eighth");
    await alice.next();
    alice.send({ type: "admit", peerId: eighth.id });
    expect(await eighth.peer.next()).toMatchObject({ type: "welcome" });
    const late = await TestPeer.connect(room, "?name=Late");
    expect(await late.next()).toMatchObject({ type: "error", code: ErrorCode.roomFull });
    expect((await late.waitClosed()).code).toBe(CloseCode.roomFull);
    expect(await status(room)).toMatchObject({ peers: 8, locked: true });
  });

  it("refuses an admit into a full room with `room-full`; the knocker keeps waiting", async () => {
    const { room, alice, others } = await sevenSeated();
    const first = await knock(room, "First");
    const second = await knock(room, "Second");
    await alice.next();
    await alice.next();
    alice.send({ type: "admit", peerId: first.id });
    await alice.next(); // knock-ended
    await alice.next(); // peer-joined
    alice.send({ type: "admit", peerId: second.id });
    expect(await alice.next()).toMatchObject({ type: "error", code: ErrorCode.roomFull, peerId: second.id });
    await roundTrip(second.peer);
    // When a seat frees, the same knock can be admitted.
    others[0]!.send({ type: "leave" });
    expect(await alice.next()).toMatchObject({ type: "peer-left" });
    alice.send({ type: "admit", peerId: second.id });
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: second.id, outcome: "admitted" });
    expect(await second.peer.next()).toMatchObject({ type: "welcome", self: { id: second.id } });
  });

  it("on unlock by hand, lets the waiting in in order while seats remain; the rest get `room-full` and 4001", async () => {
    const { room, alice } = await sevenSeated();
    const first = await knock(room, "First");
    const second = await knock(room, "Second");
    await alice.next();
    await alice.next();
    alice.send({ type: "lock", locked: false });
    expect(await alice.next()).toEqual({ type: "room", locked: false, by: alice.id });
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: first.id, outcome: "admitted" });
    expect(await alice.next()).toEqual({ type: "peer-joined", peer: { id: first.id, name: "First" } });
    expect(await alice.next()).toEqual({ type: "knock-ended", peerId: second.id, outcome: "gone" });
    expect(await first.peer.next()).toMatchObject({ type: "welcome", locked: false, lockedBy: null });
    expect(await second.peer.next()).toMatchObject({ type: "error", code: ErrorCode.roomFull });
    expect((await second.peer.waitClosed()).code).toBe(CloseCode.roomFull);
  });
});

describe("the last seat", () => {
  it("unlocks the room when released, and lets the waiting in in order, the first alone", async () => {
    const { room, alice } = await lockedByAlice();
    const carol = await knock(room, "Carol");
    const dave = await knock(room, "Dave");
    await alice.next();
    await alice.next();
    alice.send({ type: "leave" });
    const carolWelcome = await carol.peer.next();
    expect(carolWelcome).toMatchObject({ type: "welcome", peers: [], locked: false, lockedBy: null });
    expect(await dave.peer.next()).toMatchObject({ type: "welcome", peers: [{ id: carol.id, name: "Carol" }] });
    // Carol was seated while Dave still waited: she heard his knock, then its end.
    expect(await carol.peer.next()).toEqual({ type: "knock", peer: { id: dave.id, name: "Dave" } });
    expect(await carol.peer.next()).toEqual({ type: "knock-ended", peerId: dave.id, outcome: "admitted" });
    expect(await carol.peer.next()).toEqual({ type: "peer-joined", peer: { id: dave.id, name: "Dave" } });
    expect(await status(room)).toMatchObject({ peers: 2, locked: false });
  });

  it("unlocks an empty room with nobody waiting, so the next newcomer just joins", async () => {
    const { room, alice } = await lockedByAlice();
    alice.send({ type: "leave" });
    await alice.waitClosed();
    await expect.poll(() => status(room)).toMatchObject({ peers: 0, locked: false });
    const bob = await TestPeer.join(room, "Bob");
    expect(bob.welcome).toMatchObject({ locked: false });
  });
});
