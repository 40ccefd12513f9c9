// Calls that survive the network: a cut signaling socket, a server restart,
// a tab that vanishes, simultaneous joins, and a four-peer mesh.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "./support/chromium";
import { describeWithChromium } from "./support/suite";
import { startDevServer, type DevServer } from "./support/dev-server";
import {
  cutSignaling,
  inboundMedia,
  joinAs,
  joined,
  openPage,
  restoreSignaling,
  selfId,
  waitForConnected,
  waitForMediaFromAll,
  type TestPage,
} from "./support/pages";

// A short grace keeps the "tab vanished" test quick; the rest fits within it.
const VARS = { RESUME_GRACE_SECONDS: "8" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithChromium("calls that survive the network", () => {
  let persistDir: string;
  let server: DevServer;
  let browser: Browser;
  let opened: TestPage[] = [];

  beforeAll(async () => {
    persistDir = await mkdtemp(join(tmpdir(), "tincan-resilience-"));
    server = await startDevServer(VARS, { persistDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(persistDir, { recursive: true, force: true });
  });

  async function closeAll(): Promise<void> {
    for (const { context } of opened.splice(0)) await context.close().catch(() => {});
  }

  async function openRoom(room: string): Promise<TestPage> {
    const page = await openPage(browser, `${server.url}/${room}`);
    opened.push(page);
    return page;
  }

  /** Two pages in a call with media flowing both ways. */
  async function call(): Promise<[Page, Page]> {
    const room = `res-${crypto.randomUUID().slice(0, 8)}`;
    const alice = (await openRoom(room)).page;
    const bob = (await openRoom(room)).page;
    await joined(alice, "Alice");
    await joined(bob, "Bob");
    await Promise.all([waitForConnected(alice), waitForConnected(bob)]);
    await Promise.all([waitForMediaFromAll(alice), waitForMediaFromAll(bob)]);
    return [alice, bob];
  }

  /** Records, in the page, whether the tile of `peerId` is ever removed. */
  async function watchTile(page: Page, peerId: string): Promise<() => Promise<boolean>> {
    await page.evaluate((id) => {
      const w = window as unknown as { __tileRemoved: boolean };
      w.__tileRemoved = false;
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.removedNodes) {
            if (node instanceof HTMLElement && node.dataset["peerId"] === id) w.__tileRemoved = true;
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    }, peerId);
    return () => page.evaluate(() => (window as unknown as { __tileRemoved: boolean }).__tileRemoved);
  }

  const selfStatus = (page: Page) => page.locator("figure.tile").first().locator(".tile-status").textContent();
  const frames = async (page: Page) => (await inboundMedia(page)).videoFrames[0] ?? 0;

  it("keeps media flowing while a page's signaling is cut, then resumes the same identity unnoticed", async () => {
    const [alice, bob] = await call();
    const aliceId = await selfId(alice);
    const removed = await watchTile(bob, aliceId);

    await cutSignaling(alice);
    await expect.poll(() => selfStatus(alice)).toContain("reconnecting");
    // The page says the call goes on, and what it is trying.
    await alice
      .getByRole("alert")
      .filter({ hasText: /Calls in progress go on\. Reconnecting: attempt \d+, next try in \d+ s/ })
      .waitFor();
    // Several seconds without signaling: the peer-to-peer media does not care.
    const before = await frames(alice);
    await sleep(3_000);
    expect((await frames(alice)) - before).toBeGreaterThan(20);
    expect(await alice.evaluate(() => window.__tincanPeerConnections[0]?.connectionState)).toBe("connected");

    await restoreSignaling(alice);
    await expect.poll(() => selfStatus(alice), { timeout: 15_000 }).toContain("in the room");
    await alice.getByRole("status").filter({ hasText: "Reconnected to the room" }).waitFor();
    expect(await alice.getByRole("alert").isHidden()).toBe(true);
    expect(await selfId(alice)).toBe(aliceId);
    expect(await removed()).toBe(false);
    expect(await bob.getByRole("figure", { name: "Alice", exact: true }).count()).toBe(1);
    await closeAll();
  });

  it("resumes both pages after wrangler dev restarts mid-call, and the media never stops", async () => {
    const [alice, bob] = await call();
    const ids = [await selfId(alice), await selfId(bob)];
    const before = await Promise.all([frames(alice), frames(bob)]);

    await server.stop();
    await expect.poll(() => selfStatus(alice)).toContain("reconnecting");
    server = await startDevServer(VARS, { persistDir, port: server.port });

    for (const page of [alice, bob]) {
      await expect.poll(() => selfStatus(page), { timeout: 20_000 }).toContain("in the room");
    }
    expect([await selfId(alice), await selfId(bob)]).toEqual(ids);
    const after = await Promise.all([frames(alice), frames(bob)]);
    expect(after[0]).toBeGreaterThan(before[0]! + 30);
    expect(after[1]).toBeGreaterThan(before[1]! + 30);
    for (const page of [alice, bob]) {
      expect(await page.evaluate(() => window.__tincanPeerConnections[0]?.connectionState)).toBe("connected");
    }
    await closeAll();
  }, 90_000);

  it("removes the tile of a page that vanished without a leave, once the grace is over", async () => {
    const [alice] = await call();
    const bobContext = opened[1]!.context;
    const bobTile = alice.getByRole("figure", { name: "Bob", exact: true });
    const closedAt = Date.now();
    await bobContext.close();
    // Held through the grace: a page that comes back within it would find its seat.
    await sleep(2_000);
    expect(await bobTile.count()).toBe(1);
    await bobTile.waitFor({ state: "detached", timeout: 20_000 });
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(7_000);
    await alice.getByRole("status").filter({ hasText: "Bob left" }).waitFor();
    await closeAll();
  });

  it("connects two pages that press Join at the same moment, five times out of five", async () => {
    for (let round = 0; round < 5; round++) {
      const room = `glare-${round}-${crypto.randomUUID().slice(0, 6)}`;
      const a = (await openRoom(room)).page;
      const b = (await openRoom(room)).page;
      for (const [page, name] of [
        [a, "A"],
        [b, "B"],
      ] as const) {
        await page.getByLabel("Your name").fill(name);
      }
      await Promise.all([a, b].map((page) => page.getByRole("button", { name: "Join", exact: true }).click()));
      await Promise.all([waitForConnected(a), waitForConnected(b)]);
      await Promise.all([waitForMediaFromAll(a), waitForMediaFromAll(b)]);
      await closeAll();
    }
  });
});
