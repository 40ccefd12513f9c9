// Frames for an id that is not connected: kept in its object's storage,
// delivered in order when it connects within the expire timeout (1 s in
// this project), else answered with one EXPIRE per pair, as the reference.
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { QUEUE_MAX_FRAMES } from "../../worker/peerjs/queue";
import { peerStub } from "../../worker/peerjs/names";
import type { PeerJsPeer } from "../../worker/peerjs/peer";
import { PeerJsClient, uniqueId } from "./peerjs-client";

const EXPIRE_MS = 1_000;

const stubOf = (id: string) => peerStub(env, "peerjs", id);

describe("PeerJS queue", () => {
  it("delivers frames kept for an id, in order, right after its OPEN", async () => {
    const alice = await PeerJsClient.open();
    const bob = uniqueId("bob");
    alice.to(bob, "OFFER", { n: 0 });
    for (let n = 1; n <= 5; n++) alice.to(bob, "CANDIDATE", { n });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const client = await PeerJsClient.raw({ key: "peerjs", id: bob, token: "t" });
    expect(await client.next()).toEqual({ type: "OPEN" });
    for (let n = 0; n <= 5; n++) {
      expect(await client.next()).toEqual({
        type: n === 0 ? "OFFER" : "CANDIDATE",
        src: alice.id,
        dst: bob,
        payload: { n },
      });
    }
    // Delivered once: the queue is empty and no EXPIRE follows.
    expect(await alice.quietFor(EXPIRE_MS + 500)).toEqual([]);
    expect(await runInDurableObject(stubOf(bob), (_i, state) => state.storage.getAlarm())).toBeNull();
  });

  it("answers each sender once per pair with EXPIRE when the id never comes", async () => {
    const alice = await PeerJsClient.open();
    const carol = await PeerJsClient.open();
    const [dave, erin] = [uniqueId("dave"), uniqueId("erin")];
    const sentAt = Date.now();
    alice.to(dave, "OFFER", {});
    alice.to(dave, "CANDIDATE", {});
    alice.to(dave, "CANDIDATE", {});
    carol.to(dave, "OFFER", {});
    alice.to(erin, "OFFER", {});
    // Nothing before the timeout...
    expect(await alice.quietFor(EXPIRE_MS / 2)).toEqual([]);
    // ...then one EXPIRE for each pair, from the absent id.
    const expired = [await alice.next(), await alice.next()];
    const waited = Date.now() - sentAt;
    expect(expired).toEqual(
      expect.arrayContaining([
        { type: "EXPIRE", src: dave, dst: alice.id },
        { type: "EXPIRE", src: erin, dst: alice.id },
      ]),
    );
    expect(await carol.next()).toEqual({ type: "EXPIRE", src: dave, dst: carol.id });
    expect(waited).toBeGreaterThanOrEqual(EXPIRE_MS);
    expect(await alice.quietFor(300)).toEqual([]);
    // Too late for dave: he connects to an empty queue.
    const late = await PeerJsClient.open(dave);
    expect(await late.quietFor(200)).toEqual([]);
  });

  it("answers a frame for an id no client could hold with EXPIRE at once", async () => {
    const alice = await PeerJsClient.open();
    for (const dst of ["has/slash", " space-first", "dash-", "é"]) {
      alice.to(dst, "OFFER", {});
      expect(await alice.next(500), dst).toEqual({ type: "EXPIRE", src: dst, dst: alice.id });
    }
    alice.to("a/b", "LEAVE");
    expect(await alice.quietFor(200)).toEqual([]);
  });

  it("drops LEAVE and EXPIRE for an id that is not connected", async () => {
    const alice = await PeerJsClient.open();
    const frank = uniqueId("frank");
    alice.to(frank, "LEAVE");
    alice.to(frank, "EXPIRE");
    // Time for both to reach frank's object before frank does.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const client = await PeerJsClient.open(frank);
    expect(await client.quietFor(200)).toEqual([]);
    expect(await alice.quietFor(EXPIRE_MS + 300)).toEqual([]);
  });

  it("keeps its queue through an eviction of the absent id's object", async () => {
    const alice = await PeerJsClient.open();
    const gina = uniqueId("gina");
    alice.to(gina, "OFFER", { kept: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await evictDurableObject(stubOf(gina));
    const client = await PeerJsClient.open(gina);
    expect(await client.next()).toEqual({ type: "OFFER", src: alice.id, dst: gina, payload: { kept: true } });
  });

  it("expires on time after an eviction too (the alarm is stored)", async () => {
    const alice = await PeerJsClient.open();
    const hank = uniqueId("hank");
    alice.to(hank, "OFFER", {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await evictDurableObject(stubOf(hank));
    expect(await alice.next(EXPIRE_MS + 2_000)).toEqual({ type: "EXPIRE", src: hank, dst: alice.id });
  });

  it("tells the sender at once when an id's queue is full", async () => {
    const alice = await PeerJsClient.open();
    const ivy = uniqueId("ivy");
    const results = await runInDurableObject(stubOf(ivy), (instance) => {
      const peer = instance as unknown as PeerJsPeer;
      return Array.from({ length: QUEUE_MAX_FRAMES + 1 }, (_, n) =>
        peer.deliver(`{"type":"CANDIDATE","src":"x","dst":"${ivy}","payload":{"n":${n}}}`, "x", "CANDIDATE", ivy),
      );
    });
    expect(results.slice(0, QUEUE_MAX_FRAMES).every((r) => r === "queued")).toBe(true);
    expect(results[QUEUE_MAX_FRAMES]).toBe("full");
    // Through the wire (well inside the 1 s the queue lives), the sender of a
    // frame that does not fit hears EXPIRE for it at once.
    alice.to(ivy, "CANDIDATE", {});
    expect(await alice.next(500)).toEqual({ type: "EXPIRE", src: ivy, dst: alice.id });
  });
});
