// Calls through a real coturn, with credentials minted by the room.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { IceServer } from "../../protocol";
import { mintSharedSecret } from "../../worker/turn/shared-secret";
import { launchChromium } from "./support/chromium";
import { describeWithChromium } from "./support/suite";
import { startCoturn, type Coturn } from "./support/coturn";
import { startDevServer, type DevServer } from "./support/dev-server";
import {
  inboundMedia,
  joinAs,
  openPage,
  relayedPair,
  selectedPairs,
  waitForConnected,
  waitForMediaFromAll,
  type TestPage,
} from "./support/pages";

// The shortest the config allows (TURN_TTL_ALLOW_SHORT): three lifetimes are waited out in full.
const TTL_SECONDS = 12;
const SECRET = `browser-test-secret-${crypto.randomUUID()}`;

describeWithChromium(
  "TURN relay through a real coturn",
  () => {
    let coturn: Coturn;
    let server: DevServer;
    let browser: Browser;
    const contexts: TestPage[] = [];

    beforeAll(async () => {
      // Allocations live at most 20 s: a call only outlives them by
      // refreshing, and a refresh needs credentials that have not expired.
      coturn = await startCoturn({ secret: SECRET, maxAllocateLifetime: 20 });
      server = await startDevServer({
        TURN_URLS: coturn.url,
        TURN_SECRET: SECRET,
        TURN_TTL: String(TTL_SECONDS),
        TURN_TTL_ALLOW_SHORT: "true",
      });
      browser = await launchChromium();
    });

    afterAll(async () => {
      for (const { context } of longCall.contexts) await context.close().catch(() => {});
      await browser?.close();
      await server?.stop();
      await coturn?.stop();
    });

    /** The first test's call, left running for the last test to check three credential lifetimes on. */
    const longCall: { contexts: TestPage[]; pages?: [Page, Page]; relaysAtStart?: number; connectedAt?: number } = {
      contexts: [],
    };

    async function relayCall(url: string, into: TestPage[] = contexts): Promise<[Page, Page]> {
      const room = `turn-${crypto.randomUUID().slice(0, 8)}`;
      const pages: Page[] = [];
      for (const name of ["Alice", "Bob"]) {
        const opened = await openPage(browser, `${url}/${room}?relay=1`);
        into.push(opened);
        await joinAs(opened.page, name);
        await opened.page
          .getByRole("status")
          .filter({ hasText: `You joined as ${name}` })
          .waitFor();
        pages.push(opened.page);
      }
      return [pages[0]!, pages[1]!];
    }

    const relayCount = (page: Page) =>
      page.evaluate(() => window.__tincanCandidateTypes.filter((t) => t === "relay").length);

    async function closeAll(): Promise<void> {
      for (const { context } of contexts.splice(0)) await context.close().catch(() => {});
    }

    it("connects two relay-only pages through the relay, with video", async () => {
      const [alice, bob] = await relayCall(server.url, longCall.contexts);
      await Promise.all([waitForConnected(alice), waitForConnected(bob)]);
      longCall.connectedAt = Date.now();
      for (const page of [alice, bob]) {
        expect(await selectedPairs(page)).toEqual([relayedPair()]);
        expect((await waitForMediaFromAll(page)).videoFrames[0]).toBeGreaterThan(0);
      }
      // The page says so in words.
      await expect
        .poll(() => alice.getByRole("figure", { name: "Bob", exact: true }).textContent())
        .toContain("relayed");
      // This call stays up while the other tests run: the file's last test
      // checks it once three credential lifetimes have passed, instead of
      // waiting them out doing nothing.
      longCall.pages = [alice, bob];
      longCall.relaysAtStart = await relayCount(alice);
    });

    /** Runs the page's connection check from the pre-join screen; what it said. */
    async function connectionCheck(page: Page): Promise<string> {
      await page.getByRole("button", { name: "Check connection", exact: true }).click();
      const box = page.getByRole("dialog", { name: "Connection check" });
      const verdict = box.locator(".check-verdict");
      await verdict.waitFor({ timeout: 20_000 });
      return (await box.getByRole("status").textContent()) ?? "";
    }

    it("says in words that a relay can be allocated, before joining and from Help in a call", async () => {
      const { page, context } = await openPage(browser, `${server.url}/check-${crypto.randomUUID().slice(0, 8)}`);
      contexts.push({ page, context });
      const before = await connectionCheck(page);
      expect(before).toContain("A TURN relay was allocated, over UDP.");
      expect(before).toContain("Calls will work, through the relay when a direct path is blocked.");
      await page.keyboard.press("Escape");

      await joinAs(page, "Alice");
      await page.getByRole("status").filter({ hasText: "You joined as Alice" }).waitFor();
      await page.getByRole("button", { name: "Help", exact: true }).click();
      const during = await connectionCheck(page);
      expect(during).toContain("A TURN relay was allocated, over UDP.");
      await closeAll();
    });

    it("gets no relay and no connection when the room signs with the wrong secret, and the check says so", async () => {
      const wrong = await startDevServer({ TURN_URLS: coturn.url, TURN_SECRET: "not-the-secret", TURN_TTL: "600" });
      try {
        const checking = await openPage(browser, `${wrong.url}/check-${crypto.randomUUID().slice(0, 8)}`);
        contexts.push(checking);
        const said = await connectionCheck(checking.page);
        expect(said).toContain("Relaying fails: the TURN server refused the credentials.");
        expect(said).toContain("Relayed calls are impossible from here (the TURN server refused the credentials)");
        const [alice, bob] = await relayCall(wrong.url);
        for (const page of [alice, bob]) {
          await page.waitForFunction(() => window.__tincanIceErrors.some((e) => e.errorCode === 401), undefined, {
            timeout: 10_000,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        for (const page of [alice, bob]) {
          expect(await page.evaluate(() => window.__tincanCandidateTypes)).not.toContain("relay");
          expect(
            await page.evaluate(() => window.__tincanPeerConnections.map((pc) => pc.connectionState)),
          ).not.toContain("connected");
        }
      } finally {
        await closeAll();
        await wrong.stop();
      }
    });

    /** What gathering relay candidates with `iceServers` gives in a bare page. */
    async function gatherRelay(page: Page, iceServers: IceServer[]): Promise<{ types: string[]; errors: number[] }> {
      return page.evaluate(async (servers) => {
        const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: "relay" });
        const types: string[] = [];
        const errors: number[] = [];
        pc.addEventListener("icecandidate", (e) => e.candidate?.type && types.push(e.candidate.type));
        pc.addEventListener("icecandidateerror", (e) => errors.push((e as RTCPeerConnectionIceErrorEvent).errorCode));
        pc.createDataChannel("probe");
        await pc.setLocalDescription();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          pc.addEventListener("icegatheringstatechange", () => {
            if (pc.iceGatheringState === "complete") {
              clearTimeout(timer);
              resolve();
            }
          });
        });
        pc.close();
        return { types, errors };
      }, iceServers);
    }

    it("refuses expired credentials with 401, while fresh ones relay", async () => {
      const { page, context } = await openPage(browser, `${server.url}/`);
      contexts.push({ page, context });
      const mint = (now: number) =>
        mintSharedSecret({
          secret: SECRET,
          turnUrls: [coturn.url],
          stunUrls: [],
          ttlSeconds: 60,
          peerId: "probe",
          now,
        });
      const turnOnly = (servers: IceServer[]) => servers.filter((s) => s.username !== undefined);

      const expired = await gatherRelay(page, turnOnly((await mint(Date.now() - 2 * 3600_000)).iceServers));
      expect(expired.types).not.toContain("relay");
      expect(expired.errors).toContain(401);

      const fresh = await gatherRelay(page, turnOnly((await mint(Date.now())).iceServers));
      expect(fresh.types).toContain("relay");
      expect(fresh.errors).toEqual([]);
      await closeAll();
    });

    it(
      "keeps a relayed call alive past three credential lifetimes",
      { timeout: 3 * TTL_SECONDS * 1000 + 60_000 },
      async () => {
        if (!longCall.pages || longCall.connectedAt === undefined || longCall.relaysAtStart === undefined) {
          throw new Error("the first test's call never connected");
        }
        const [alice, bob] = longCall.pages;
        const left = longCall.connectedAt + 3 * TTL_SECONDS * 1000 - Date.now();
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));

        for (const page of [alice, bob]) {
          expect(await page.evaluate(() => window.__tincanPeerConnections[0]?.connectionState)).toBe("connected");
          const before = (await inboundMedia(page)).videoFrames[0]!;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          const after = (await inboundMedia(page)).videoFrames[0]!;
          expect(after - before).toBeGreaterThan(5); // ~15 fps from the fake camera
          expect(await selectedPairs(page)).toEqual([relayedPair()]);
        }
        // coturn keeps refreshing an allocation made with credentials that have
        // since expired, so media alone does not prove the refresh. What does:
        // ICE restarted with fresh credentials along the way (new relay
        // candidates), and a restart forced now, long after the first
        // credentials expired, still gets a relay without a single 401.
        const relaysBeforeForced = await relayCount(alice);
        expect(relaysBeforeForced).toBeGreaterThanOrEqual(longCall.relaysAtStart * 3);
        await alice.evaluate(() => window.__tincanPeerConnections[0]!.restartIce());
        await expect.poll(() => relayCount(alice), { timeout: 10_000 }).toBeGreaterThan(relaysBeforeForced);
        await waitForConnected(alice);
        for (const page of [alice, bob]) {
          expect(await page.evaluate(() => window.__tincanIceErrors.filter((e) => e.errorCode === 401))).toEqual([]);
        }
      },
    );
  },
  { coturn: true },
);
