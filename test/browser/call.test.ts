import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { candidateKey } from "../../site/src/peer/outbox";
import { launchChromium } from "./support/chromium";
import { describeWithChromium } from "./support/suite";
import { startDevServer, type DevServer } from "./support/dev-server";
import {
  inboundMedia,
  joinAs,
  joined,
  openPage,
  waitForConnected,
  waitForMediaFromAll,
  type TestPage,
} from "./support/pages";

describeWithChromium("calls in Chromium", () => {
  let server: DevServer;
  let browser: Browser;
  let pages: TestPage[] = [];

  beforeAll(async () => {
    server = await startDevServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(room: string, options?: Parameters<typeof openPage>[2]): Promise<TestPage> {
    const page = await openPage(browser, `${server.url}/${room}`, options);
    pages.push(page);
    return page;
  }

  async function closePages(): Promise<void> {
    for (const { context } of pages) await context.close().catch(() => {});
    pages = [];
  }

  function newRoom(): string {
    return `E2E-${crypto.randomUUID().slice(0, 8)}`;
  }

  it("connects two pages on one room link, video and audio both ways; Leave removes the tile", async () => {
    const room = newRoom();
    const alice = await open(room);
    const bob = await open(room);
    await joined(alice.page, "Alice");
    await joinAs(bob.page, "Bob");

    await Promise.all([waitForConnected(alice.page), waitForConnected(bob.page)]);
    const [onAlice, onBob] = await Promise.all([waitForMediaFromAll(alice.page), waitForMediaFromAll(bob.page)]);
    expect(onAlice.videoFrames[0]).toBeGreaterThan(0);
    expect(onBob.audioPackets[0]).toBeGreaterThan(0);

    // Each sees the other's tile, named, and says it is connected in words.
    const bobOnAlice = alice.page.getByRole("figure", { name: "Bob", exact: true });
    const aliceOnBob = bob.page.getByRole("figure", { name: "Alice", exact: true });
    await expect.poll(() => bobOnAlice.textContent()).toContain("connected");
    await expect.poll(() => aliceOnBob.textContent()).toContain("connected");

    await bob.page.getByRole("button", { name: "Leave" }).click();
    await bobOnAlice.waitFor({ state: "detached", timeout: 5_000 });
    await alice.page.getByRole("status").filter({ hasText: "Bob left" }).waitFor();
    await bob.page.getByRole("heading", { name: "You left the room" }).waitFor();
    await closePages();
  });

  it("sets up a two-peer call in one offer and one answer, no candidate sent twice, nothing else", async () => {
    const room = newRoom();
    const alice = await open(room);
    const bob = await open(room);
    await joined(alice.page, "Alice");
    await joinAs(bob.page, "Bob");
    await Promise.all([waitForConnected(alice.page), waitForConnected(bob.page)]);
    // Gathering finishes after the connection is up; nothing later may add to it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const pages = await Promise.all(
      [alice, bob].map(({ page }) =>
        page.evaluate(() => ({ frames: { ...window.__tincanFrames }, sent: [...window.__tincanSent] })),
      ),
    );
    const descriptions: string[] = [];
    let batches = 0;
    for (const { sent } of pages) {
      // A candidate belongs to its m-section: before bundling, sections gather look-alikes.
      const seen = new Set<string>();
      const once = (line: string, section: string) => {
        const key = `${section}|${candidateKey(line)}`;
        expect(seen.has(key), `candidate sent twice: ${line}`).toBe(false);
        seen.add(key);
      };
      for (const text of sent) {
        const frame = JSON.parse(text) as {
          type: string;
          data?: {
            description?: { type: string; sdp?: string };
            candidates?: { candidate?: string; sdpMid?: string | null }[];
          };
        };
        expect(frame.type).toBe("signal");
        const { description, candidates } = frame.data ?? {};
        if (description) {
          descriptions.push(description.type);
          let mid = "";
          for (const line of (description.sdp ?? "").split(/\r?\n/)) {
            if (line.startsWith("a=mid:")) mid = line.slice(6);
            if (line.startsWith("a=candidate:")) once(line.slice(2), mid);
          }
        }
        if (candidates) {
          batches += 1;
          for (const candidate of candidates) once(candidate.candidate!, candidate.sdpMid ?? "");
        }
      }
    }
    expect(descriptions.sort()).toEqual(["answer", "offer"]);
    // Two welcomes and a peer-joined, then every signal once out and once in.
    const signals = descriptions.length + batches;
    const frames = pages.reduce((n, p) => n + p.frames.sent + p.frames.received, 0);
    expect(frames).toBe(3 + 2 * signals);
    const bytes = pages.reduce((n, p) => n + p.frames.sentBytes, 0);
    console.log(`signaling for one call: ${frames} frames (${batches} candidate batches), ${bytes} bytes sent`);
    await closePages();
  });

  it("meshes three pages: everyone connects to everyone and sees two tiles", async () => {
    const room = newRoom();
    const trio = [await open(room), await open(room), await open(room)];
    const names = ["Ann", "Ben", "Cat"];
    for (const [i, { page }] of trio.entries()) {
      await joinAs(page, names[i]!);
      await page
        .getByRole("status")
        .filter({ hasText: `You joined as ${names[i]}` })
        .waitFor();
    }
    await Promise.all(trio.map(({ page }) => waitForConnected(page, 2)));
    for (const [i, { page }] of trio.entries()) {
      const media = await waitForMediaFromAll(page);
      expect(media.videoFrames).toHaveLength(2);
      for (const [j, other] of names.entries()) {
        if (j !== i) await page.getByRole("figure", { name: other, exact: true }).waitFor();
      }
    }
    await closePages();
  });

  it("lets a page without camera or microphone join receive-only, and says so", async () => {
    const room = newRoom();
    const camera = await open(room);
    const viewer = await open(room, { media: "denied" });
    await viewer.page.getByText("blocked").first().waitFor();
    await joined(camera.page, "Camera");
    await joinAs(viewer.page, "Viewer");
    await viewer.page.getByText("receive-only mode").waitFor();

    await Promise.all([waitForConnected(camera.page), waitForConnected(viewer.page)]);
    const seen = await waitForMediaFromAll(viewer.page);
    expect(seen.videoFrames[0]).toBeGreaterThan(0);
    // Nothing comes back from the viewer.
    const back = await inboundMedia(camera.page);
    expect(back.videoFrames).toEqual([0]);
    expect(back.audioPackets).toEqual([0]);
    await camera.page.getByRole("figure", { name: "Viewer", exact: true }).waitFor();
    await closePages();
  });
});
