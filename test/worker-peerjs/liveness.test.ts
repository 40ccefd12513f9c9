// Heartbeats, silence and hibernation of a PeerJS id's object: heartbeats
// are answered by the runtime (the object never runs for them), a socket
// silent past the alive timeout (2 s in this project) loses its id, and an
// eviction loses neither the socket nor the queue.
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PEERJS_HEARTBEAT_FRAME } from "../../protocol/peerjs";
import { peerStub } from "../../worker/peerjs/names";
import type { PeerSocketTag } from "../../worker/peerjs/peer-sockets";
import { PeerJsClient, uniqueId } from "./peerjs-client";

const ALIVE_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stubOf = (id: string) => peerStub(env, "peerjs", id);

/** What the id's object holds: each socket's attachment and auto-response time, and its alarm. */
function inspect(id: string) {
  return runInDurableObject(stubOf(id), async (_instance, state) => ({
    sockets: state.getWebSockets().map((ws) => ({
      tag: ws.deserializeAttachment() as PeerSocketTag,
      heartbeatAt: state.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null,
    })),
    alarm: await state.storage.getAlarm(),
  }));
}

describe("PeerJS heartbeats and silence", () => {
  it("answers the client's heartbeat without running the object", async () => {
    const alice = await PeerJsClient.open();
    const before = await inspect(alice.id);
    for (let i = 0; i < 3; i++) {
      await sleep(1_100); // past the one-a-second refresh of the attachment
      alice.send(PEERJS_HEARTBEAT_FRAME);
      expect(await alice.nextFrame()).toBe(PEERJS_HEARTBEAT_FRAME);
    }
    const after = await inspect(alice.id);
    expect(after.sockets).toHaveLength(1);
    // No frame reached webSocketMessage (it would have moved lastFrameAt);
    // the runtime recorded the heartbeats itself; no alarm is ever set.
    expect(after.sockets[0]!.tag.lastFrameAt).toBe(before.sockets[0]!.tag.lastFrameAt);
    expect(after.sockets[0]!.heartbeatAt).toBeGreaterThan(after.sockets[0]!.tag.lastFrameAt + 3_000);
    expect(after.alarm).toBeNull();
  });

  it("keeps the id of a client that only heartbeats, past the alive timeout", async () => {
    const alice = await PeerJsClient.open();
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      alice.send(PEERJS_HEARTBEAT_FRAME);
    }
    const thief = await PeerJsClient.raw({ key: "peerjs", id: alice.id, token: "other" });
    expect((await thief.next()).type).toBe("ID-TAKEN");
  });

  it("treats a heartbeat spelled differently as a heartbeat, with no answer", async () => {
    const alice = await PeerJsClient.open();
    alice.send('{ "type": "HEARTBEAT" }');
    expect(await alice.quietFor(300)).toEqual([]);
  });

  it("frees the id of a socket silent past the alive timeout for the next client", async () => {
    const alice = await PeerJsClient.open();
    await sleep(ALIVE_MS + 300);
    const next = await PeerJsClient.open(alice.id, "another-token");
    expect((await alice.waitClosed()).code).toBe(1000);
    const bob = await PeerJsClient.open();
    bob.to(alice.id, "OFFER", { to: "the new owner" });
    expect(await next.next()).toMatchObject({ src: bob.id, payload: { to: "the new owner" } });
  });

  it("keeps a frame for a silent socket's id instead of sending it into the void", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    await sleep(ALIVE_MS + 300);
    bob.send(PEERJS_HEARTBEAT_FRAME);
    bob.to(alice.id, "OFFER", {});
    // Alice's socket is closed, the offer kept, and it expires to bob.
    expect((await alice.waitClosed()).code).toBe(1000);
    expect(alice.history).toEqual(['{"type":"OPEN"}']);
    expect(await bob.nextFrame()).toBe(PEERJS_HEARTBEAT_FRAME);
    expect(await bob.next(2_500)).toEqual({ type: "EXPIRE", src: alice.id, dst: bob.id });
  });
});

describe("PeerJS hibernation and eviction", () => {
  it("keeps a connected id's socket through an eviction: it still sends, receives and owns its id", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    await evictDurableObject(stubOf(alice.id));
    await evictDurableObject(stubOf(bob.id));
    bob.to(alice.id, "OFFER", { after: "eviction" });
    expect(await alice.next()).toEqual({ type: "OFFER", src: bob.id, dst: alice.id, payload: { after: "eviction" } });
    alice.to(bob.id, "ANSWER", { back: true });
    expect(await bob.next()).toEqual({ type: "ANSWER", src: alice.id, dst: bob.id, payload: { back: true } });
    alice.send(PEERJS_HEARTBEAT_FRAME);
    expect(await alice.nextFrame()).toBe(PEERJS_HEARTBEAT_FRAME);
    const thief = await PeerJsClient.raw({ key: "peerjs", id: alice.id, token: "other" });
    expect((await thief.next()).type).toBe("ID-TAKEN");
  });

  it("frees the id when an eviction closes the sockets", async () => {
    const alice = await PeerJsClient.open();
    await evictDurableObject(stubOf(alice.id), { webSockets: "close" });
    await alice.waitClosed();
    const next = await PeerJsClient.open(alice.id, "another-token");
    next.close();
  });
});

describe("PeerJS discovery (on in this project)", () => {
  it("lists connected ids, and no longer one that left", async () => {
    const list = async () =>
      (await exports.default.fetch("http://tincan.test/peerjs/peerjs/peers")).json() as Promise<string[]>;
    const alice = await PeerJsClient.open(uniqueId("disc"));
    const bob = await PeerJsClient.open(uniqueId("disc"));
    await expect.poll(list, { timeout: 3_000 }).toEqual(expect.arrayContaining([alice.id, bob.id]));
    alice.send({ type: "LEAVE" });
    await alice.waitClosed();
    await expect.poll(async () => (await list()).includes(alice.id), { timeout: 3_000 }).toBe(false);
    expect(await list()).toContain(bob.id);
  });
});
