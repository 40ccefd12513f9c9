// Frames between connected PeerJS ids: OPEN, forwarding with `src` stamped
// by the server, ID-TAKEN, a token's takeover, LEAVE, and bad frames, each
// answered with an ERROR that changes nothing for anyone else.
import { describe, expect, it } from "vitest";
import { PEERJS_MAX_FRAME_BYTES, PeerJsError } from "../../protocol/peerjs";
import { PeerJsClient, uniqueId } from "./peerjs-client";

describe("PeerJS relay", () => {
  it("opens with OPEN and forwards each frame type with src stamped by the server", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    const sdp = { sdp: { type: "offer", sdp: "v=0..." }, type: "data", connectionId: "dc_1", label: "dc_1" };
    for (const type of ["OFFER", "ANSWER", "CANDIDATE"]) {
      alice.to(bob.id, type, sdp);
      expect(await bob.next()).toEqual({ type, src: alice.id, dst: bob.id, payload: sdp });
    }
    bob.to(alice.id, "ANSWER", { n: 1 });
    expect(await alice.next()).toEqual({ type: "ANSWER", src: bob.id, dst: alice.id, payload: { n: 1 } });
    // LEAVE and EXPIRE to a connected id are forwarded like the rest.
    alice.to(bob.id, "LEAVE", {});
    expect(await bob.next()).toEqual({ type: "LEAVE", src: alice.id, dst: bob.id, payload: {} });
    alice.to(bob.id, "EXPIRE");
    expect(await bob.next()).toMatchObject({ type: "EXPIRE", src: alice.id });
  });

  it("never lets a client speak for another id: a forged src and extra fields are dropped", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    alice.send({ type: "OFFER", dst: bob.id, src: "mallory", payload: { a: 1 }, extra: "x", __proto__: { b: 2 } });
    expect(await bob.next()).toEqual({ type: "OFFER", src: alice.id, dst: bob.id, payload: { a: 1 } });
    // A payload's own `__proto__` key is data, relayed as it came.
    alice.send(`{"type":"CANDIDATE","dst":"${bob.id}","payload":{"__proto__":{"polluted":true}}}`);
    const frame = await bob.nextFrame();
    expect(frame).toBe(
      `{"type":"CANDIDATE","src":"${alice.id}","dst":"${bob.id}","payload":{"__proto__":{"polluted":true}}}`,
    );
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("delivers a frame to the sender's own id", async () => {
    const alice = await PeerJsClient.open();
    alice.to(alice.id, "OFFER", { self: true });
    expect(await alice.next()).toEqual({ type: "OFFER", src: alice.id, dst: alice.id, payload: { self: true } });
  });

  it("keeps frames between a pair in the order they were sent", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    for (let n = 0; n < 40; n++) alice.to(bob.id, n === 0 ? "OFFER" : "CANDIDATE", { n });
    const got: number[] = [];
    for (let n = 0; n < 40; n++) got.push(((await bob.next()) as { payload: { n: number } }).payload.n);
    expect(got).toEqual([...Array(40).keys()]);
  });

  it("answers an id connected with another token with ID-TAKEN and a close, and keeps the owner", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    const thief = await PeerJsClient.raw({ key: "peerjs", id: alice.id, token: "another-token" });
    expect(await thief.next()).toEqual({ type: "ID-TAKEN", payload: { msg: PeerJsError.idTaken } });
    await thief.waitClosed();
    bob.to(alice.id, "OFFER", { still: "alice" });
    expect(await alice.next()).toEqual({ type: "OFFER", src: bob.id, dst: alice.id, payload: { still: "alice" } });
  });

  it("lets the same id and token take the id over: the old socket is closed, frames go to the new one", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    const again = await PeerJsClient.open(alice.id, alice.token);
    expect((await alice.waitClosed()).code).toBe(1000);
    bob.to(alice.id, "OFFER", { to: "new" });
    expect(await again.next()).toEqual({ type: "OFFER", src: bob.id, dst: alice.id, payload: { to: "new" } });
    again.to(bob.id, "ANSWER", { from: "new" });
    expect(await bob.next()).toMatchObject({ src: alice.id, payload: { from: "new" } });
    // The old socket's close freed nothing: the id is still taken.
    const thief = await PeerJsClient.raw({ key: "peerjs", id: alice.id, token: "other" });
    expect((await thief.next()).type).toBe("ID-TAKEN");
  });

  it("frees the id on LEAVE without a destination, and when the socket closes", async () => {
    const alice = await PeerJsClient.open();
    alice.send({ type: "LEAVE" });
    expect((await alice.waitClosed()).code).toBe(1000);
    const next = await PeerJsClient.open(alice.id, "a-new-token");
    next.close();
    await next.waitClosed();
    const third = await PeerJsClient.open(alice.id, "yet-another-token");
    third.close();
  });

  it("answers each bad frame with an ERROR and forwards nothing", async () => {
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    const bad: [frame: string | ArrayBuffer, reason: RegExp][] = [
      ["not json", /not valid JSON/],
      ["[1,2]", /JSON object/],
      ["null", /JSON object/],
      ['{"dst":"x"}', /`type` must be a string/],
      ['{"type":"NOPE","dst":"x"}', /unknown message type "NOPE"/],
      ['{"type":"OPEN"}', /unknown message type/],
      ['{"type":"ID-TAKEN","dst":"x"}', /unknown message type/],
      ['{"type":"OFFER","payload":{}}', /`dst`/],
      ['{"type":"OFFER","dst":"","payload":{}}', /`dst` must not be empty/],
      ['{"type":"OFFER","dst":7,"payload":{}}', /`dst` must be a string/],
      [`{"type":"OFFER","dst":"${"x".repeat(129)}"}`, /at most 128/],
      ['{"type":"LEAVE","dst":5}', /`dst`/],
      [`{"type":"OFFER","dst":"${bob.id}","payload":${"[".repeat(40)}${"]".repeat(40)}}`, /nested deeper/],
      [`{"type":"OFFER","dst":"${bob.id}","payload":"${"x".repeat(PEERJS_MAX_FRAME_BYTES)}"}`, /larger than 65536/],
      [new Uint8Array([1, 2, 3]).buffer, /binary/],
    ];
    for (const [frame, reason] of bad) {
      alice.send(frame);
      const answer = await alice.next();
      expect(answer.type, String(frame).slice(0, 60)).toBe("ERROR");
      expect((answer as { payload: { msg: string } }).payload.msg, String(frame).slice(0, 60)).toMatch(reason);
    }
    // The sender is still itself and connected; the honest pair still works.
    alice.to(bob.id, "OFFER", { after: "garbage" });
    expect(await bob.next()).toEqual({ type: "OFFER", src: alice.id, dst: bob.id, payload: { after: "garbage" } });
    expect(bob.history).toHaveLength(2); // OPEN and that offer
  });

  it("closes a socket that keeps far over its budget (1008), freeing its id", async () => {
    // Five times this project's 20 a second for the 10 s window: past 1,000 frames at once.
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    for (let n = 0; n < 1_100; n++) alice.to(bob.id, "CANDIDATE", { n });
    const { code } = await alice.waitClosed(5_000);
    expect(code).toBe(1008);
    const last = JSON.parse(alice.history.at(-1)!) as { type: string; payload: { msg: string } };
    expect(last).toEqual({
      type: "ERROR",
      payload: { msg: "too many messages for too long: closing this connection" },
    });
    // Bob is untouched and the id is free for its next client.
    await PeerJsClient.open(alice.id, "a-fresh-token");
    expect(bob.ws.readyState).toBe(WebSocket.READY_STATE_OPEN);
  });

  it("drops frames over the socket's budget with an ERROR and delivers the rest", async () => {
    // This project's budget: a burst of 60, then 20 a second.
    const alice = await PeerJsClient.open();
    const bob = await PeerJsClient.open();
    for (let n = 0; n < 70; n++) alice.to(bob.id, "CANDIDATE", { n });
    const delivered: number[] = [];
    for (;;) {
      try {
        delivered.push(((await bob.next(500)) as { payload: { n: number } }).payload.n);
      } catch {
        break;
      }
    }
    const errors = alice.pending().map((frame) => JSON.parse(frame) as { type: string; payload: { msg: string } });
    expect(delivered.length).toBeGreaterThanOrEqual(60);
    expect(delivered.length).toBeLessThan(70);
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
    expect(errors).toHaveLength(70 - delivered.length);
    expect(errors.every((e) => e.type === "ERROR" && /too many messages/.test(e.payload.msg))).toBe(true);
  });
});
