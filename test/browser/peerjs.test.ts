// PeerJS compatibility: the unmodified peerjs client (npm `peerjs`) in real
// Chromium, against the reference PeerJS server and against Tincan's PeerJS
// endpoint, with the same tests. What passes against the reference and fails
// against Tincan is an incompatibility of Tincan's.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { launchChromium } from "./support/chromium.ts";
import type { Wire } from "./support/peerjs-harness.ts";
import { PeerjsPage } from "./support/peerjs-page.ts";
import { startTcpProxy, type TcpProxy } from "./support/peerjs-proxy.ts";
import { TIMINGS, targets, type RunningTarget } from "./support/peerjs-targets.ts";
import { describeWithChromium } from "./support/suite.ts";

/** An id no other test (or earlier run against a long-lived server) uses. */
const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const bytes = (type: "ArrayBuffer" | "Uint8Array", values: number[]): Wire => ({ kind: "binary", type, bytes: values });
const json = (value: unknown): Wire => ({ kind: "json", value });
/** `size` pseudo-random bytes (xorshift32): a fixed seed, so a failure can be replayed byte for byte. */
function pattern(size: number, seed: number): number[] {
  const out: number[] = [];
  let state = seed | 1;
  for (let i = 0; i < size; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out.push(state & 0xff);
  }
  return out;
}

/** What arrives of a payload: bytes for binary (peerjs need not keep the view type), the value for JSON. */
function content(wire: Wire): unknown {
  return wire.kind === "binary" ? { binary: wire.bytes } : { json: wire.value };
}

for (const target of targets) {
  describeWithChromium(`PeerJS client against ${target.name}`, () => {
    let running: RunningTarget | undefined;
    let chromium: Browser | undefined;
    const opened: PeerjsPage[] = [];
    const proxies: TcpProxy[] = [];

    beforeAll(async () => {
      const started = Date.now();
      // Settled one by one, so whichever did start is stopped in afterAll when the other fails.
      const [startedServer, launched] = await Promise.allSettled([target.start(), launchChromium()]);
      if (startedServer.status === "fulfilled") running = startedServer.value;
      if (launched.status === "fulfilled") chromium = launched.value;
      if (startedServer.status === "rejected") throw startedServer.reason;
      if (launched.status === "rejected") throw launched.reason;
      console.log(`${target.name}: server and Chromium ${chromium?.version()} up in ${Date.now() - started} ms`);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((peer) => peer.close()));
      await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
    });
    afterAll(async () => {
      await chromium?.close();
      await running?.stop();
    });

    const server = (): RunningTarget => {
      if (!running) throw new Error(`${target.name} is not running`);
      return running;
    };

    /** A page with a Peer of `id` (null: the server picks), on the server or through the proxy `via`; not yet open. */
    async function peer(id: string | null, via?: TcpProxy): Promise<PeerjsPage> {
      const { origin, clientOptions } = server();
      if (!chromium) throw new Error("Chromium is not running");
      // Through a proxy, the page lives on the proxy's origin, as a page served from behind it would.
      const page = await PeerjsPage.open(chromium, via ? `http://127.0.0.1:${via.port}` : origin);
      opened.push(page);
      await page.start(id, via ? { ...clientOptions, port: via.port } : clientOptions);
      return page;
    }

    async function openPeer(prefix: string, via?: TcpProxy): Promise<{ page: PeerjsPage; id: string }> {
      const id = uniqueId(prefix);
      const page = await peer(id, via);
      expect(await page.waitForOpen()).toBe(id);
      return { page, id };
    }

    /** A opens a data connection to B and both sides see it open. */
    async function dataBetween(a: { page: PeerjsPage; id: string }, b: { page: PeerjsPage; id: string }) {
      await a.page.connect(b.id);
      await Promise.all([a.page.waitForDataOpen(b.id), b.page.waitForDataOpen(a.id)]);
    }

    it("a Peer without an id gets one from the server and opens with it", async () => {
      const page = await peer(null);
      const id = await page.waitForOpen();
      expect(id).toMatch(/^[A-Za-z0-9][\w-]*$/);
      expect(await page.state()).toMatchObject({ id, open: true, disconnected: false });
    });

    it("carries binary and JSON payloads both ways on a data connection", async () => {
      const [a, b] = await Promise.all([openPeer("a"), openPeer("b")]);
      await dataBetween(a, b);

      // More than one 16 300-byte chunk, so peerjs splits and reassembles it.
      const large = pattern(40_000, 7);
      const fromA = [
        bytes("ArrayBuffer", [0, 1, 2, 127, 128, 254, 255]),
        bytes("Uint8Array", large),
        json({ text: "hello from a", n: 42, nested: { list: [1, "two", null, true], empty: {} } }),
        json(["ü€😀", -1.5, false]),
      ];
      const fromB = [
        json({ reply: "hello from b", at: 1_700_000_000_000 }),
        bytes("Uint8Array", pattern(300, 11)),
        bytes("ArrayBuffer", []),
        json("just a string"),
      ];
      for (const payload of fromA) await a.page.send(b.id, payload);
      for (const payload of fromB) await b.page.send(a.id, payload);

      const atB = await b.page.waitForReceived(a.id, fromA.length);
      const atA = await a.page.waitForReceived(b.id, fromB.length);
      expect(atB.map(content)).toEqual(fromA.map(content));
      expect(atA.map(content)).toEqual(fromB.map(content));
    });

    it("carries a call's video both ways: each side decodes the other's camera", async () => {
      const [a, b] = await Promise.all([openPeer("a"), openPeer("b")]);
      await a.page.call(b.id);
      await b.page.answer(a.id);
      const [atA, atB] = await Promise.all([a.page.waitForVideo(b.id), b.page.waitForVideo(a.id)]);
      expect(atA.framesDecoded).toBeGreaterThan(0);
      expect(atB.framesDecoded).toBeGreaterThan(0);
    });

    it("holds an offer for a peer that is not there yet and delivers it when it comes", async () => {
      const a = await openPeer("a");
      const lateId = uniqueId("b");
      await a.page.connect(lateId);
      // Well inside the expire timeout: the server must keep the offer, not bounce it.
      await sleep(1_000);
      const late = await peer(lateId);
      expect(await late.waitForOpen()).toBe(lateId);
      await Promise.all([a.page.waitForDataOpen(lateId), late.waitForDataOpen(a.id)]);
      await a.page.send(lateId, json({ queued: true }));
      expect((await late.waitForReceived(a.id, 1)).map(content)).toEqual([{ json: { queued: true } }]);
      expect(await a.page.errors()).toEqual([]);
    });

    it("reconnect() after the socket's TCP connection dies opens again with the same id, and works", async () => {
      const proxy = await startTcpProxy(server().clientOptions.port);
      proxies.push(proxy);
      const a = await openPeer("a", proxy);
      expect(proxy.live()).toBeGreaterThan(0);

      proxy.cut();
      await a.page.waitForDisconnected();
      expect(await a.page.state()).toMatchObject({ disconnected: true, destroyed: false });

      await a.page.reconnect();
      expect(await a.page.waitForOpen(2)).toBe(a.id);
      expect(await a.page.state()).toMatchObject({ id: a.id, open: true, disconnected: false });

      // Back on the server under its id: someone can reach it there.
      const b = await openPeer("b");
      await dataBetween(b, a);
      await b.page.send(a.id, json({ after: "reconnect" }));
      expect((await a.page.waitForReceived(b.id, 1)).map(content)).toEqual([{ json: { after: "reconnect" } }]);
      // The cut itself is the only error: the client reports a lost server as 'network'.
      expect((await a.page.errors()).map((e) => e.type)).toEqual(["network"]);
    });

    it("refuses an id that is already connected: the newcomer gets 'unavailable-id', the holder keeps it", async () => {
      const holder = await openPeer("taken");
      const newcomer = await peer(holder.id);
      const error = await newcomer.waitForError("unavailable-id");
      expect(error.message).toContain(holder.id);
      expect(await newcomer.state()).toMatchObject({ open: false });

      // The holder was not disturbed, and is still reachable under the id.
      expect(await holder.page.errors()).toEqual([]);
      expect(await holder.page.state()).toMatchObject({ id: holder.id, open: true, disconnected: false });
      const other = await openPeer("c");
      await dataBetween(other, holder);
    });

    it("reports a connection to an id nobody takes as 'peer-unavailable', once the offer expires", async () => {
      const a = await openPeer("a");
      const nobody = uniqueId("nobody");
      const asked = await a.page.connect(nobody);
      const error = await a.page.waitForError("peer-unavailable", 15_000);
      expect(error.message).toContain(nobody);
      // Not before the expire timeout (a second of slack for timers): until
      // then the peer might still come, as in the test above.
      expect(error.at - asked).toBeGreaterThanOrEqual((TIMINGS.expireSeconds - 1) * 1_000);
      // Not fatal: the Peer stays on the server.
      expect(await a.page.state()).toMatchObject({ open: true, disconnected: false, destroyed: false });
    }, 30_000);
  });
}
