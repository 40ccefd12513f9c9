// Chromium and Firefox in one room: the interop a room link meets in the
// wild. Every test has at least one page of each engine.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startCoturn, type Coturn } from "./support/coturn";
import { useEngines } from "./support/engines";
import { waitUntil, type Evaluator } from "./support/evaluator";
import {
  acceptFile,
  chatTexts,
  clickButton,
  fillName,
  joinRoom,
  offerRandomFile,
  ownId,
  pressJoin,
  seenPeer,
  sendChat,
  waitForStatus,
  type Engine,
  type PeerPage,
} from "./support/peer-page";
import {
  cutSignaling,
  inboundMedia,
  relayedPair,
  restoreSignaling,
  selectedPairs,
  waitForConnected,
  waitForMediaFromAll,
} from "./support/pages";
import { describeWithBrowsers } from "./support/suite";

const SECRET = `firefox-test-secret-${crypto.randomUUID()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithBrowsers(
  "Chromium and Firefox in one room",
  () => {
    let coturn: Coturn;
    beforeAll(async () => {
      coturn = await startCoturn({ secret: SECRET });
    });
    afterAll(async () => {
      await coturn?.stop();
    });
    const engines = useEngines(() => ({ TURN_URLS: coturn.url, TURN_SECRET: SECRET }));
    const newRoom = () => `ff-${crypto.randomUUID().slice(0, 8)}`;
    const open = (engine: Engine, room: string, query = "") => engines.open(engine, `${room}${query}`);

    /** Video frames and audio energy from the page's peers, now and `ms` later. */
    async function mediaGrowth(page: Evaluator, ms = 1_500): Promise<{ frames: number[]; energy: number[] }> {
      const before = await inboundMedia(page);
      await sleep(ms);
      const after = await inboundMedia(page);
      return {
        frames: after.videoFrames.map((n, i) => n - (before.videoFrames[i] ?? 0)),
        energy: after.audioEnergy.map((n, i) => n - (before.audioEnergy[i] ?? 0)),
      };
    }

    /** The mime types of what the page's first connection receives (audio and video). */
    const receivedCodecs = (page: Evaluator) =>
      page.evaluate(async () => {
        const stats = new Map<string, { type: string; codecId?: string; mimeType?: string }>();
        (await window.__tincanPeerConnections[0]!.getStats()).forEach((s) => stats.set(s.id, s));
        return [...stats.values()]
          .filter((s) => s.type === "inbound-rtp" && s.codecId)
          .map((s) => stats.get(s.codecId!)?.mimeType ?? "?")
          .sort();
      }, undefined);

    const tileText = (page: Evaluator, name: string) =>
      page.evaluate(
        (peer) => document.querySelector(`figure.tile[aria-label="${CSS.escape(peer)}"]`)?.textContent ?? "",
        name,
      );

    async function expectMediaBothWays(pages: PeerPage[]): Promise<void> {
      await Promise.all(pages.map((page) => waitForMediaFromAll(page)));
      for (const page of pages) {
        const growth = await mediaGrowth(page);
        expect(
          growth.frames.every((n) => n > 5),
          `${page.engine} decodes video: ${growth.frames}`,
        ).toBe(true);
        expect(
          growth.energy.every((e) => e > 0),
          `${page.engine} hears audio: ${growth.energy}`,
        ).toBe(true);
      }
    }

    const NAMES: Record<Engine, string> = { firefox: "Fox", chromium: "Chrome" };

    /** A Firefox page ("Fox") and a Chromium page ("Chrome") joined in this order, media flowing both ways. */
    async function pair(first: Engine): Promise<[PeerPage, PeerPage]> {
      const room = newRoom();
      const second: Engine = first === "firefox" ? "chromium" : "firefox";
      const a = await open(first, room);
      const b = await open(second, room);
      await joinRoom(a, NAMES[first]);
      await joinRoom(b, NAMES[second]);
      await Promise.all([waitForConnected(a), waitForConnected(b)]);
      await expectMediaBothWays([a, b]);
      return first === "firefox" ? [a, b] : [b, a];
    }

    for (const first of ["firefox", "chromium"] as const) {
      it(`calls with ${first} joining first: both connect directly and decode each other's video and audio`, async () => {
        const [fox, chrome] = await pair(first);
        for (const page of [fox, chrome]) {
          const [path] = await selectedPairs(page);
          expect(path?.local).toBeDefined();
          expect(path?.local).not.toBe("relay");
          expect(path?.remote).not.toBe("relay");
        }
        // Each page says so in words.
        for (const [page, other] of [
          [fox, "Chrome"],
          [chrome, "Fox"],
        ] as const) {
          await expect.poll(() => tileText(page, other)).toContain("connected, direct");
        }
        // No codec is forced: the log says what the two engines settled on.
        const codecs = await Promise.all([fox, chrome].map((page) => receivedCodecs(page)));
        console.log(`codecs, ${first} first: Firefox receives ${codecs[0]}, Chromium receives ${codecs[1]}`);
        expect(codecs.every((list) => list.length === 2)).toBe(true);
        expect([...fox.problems, ...chrome.problems]).toEqual([]);
      });
    }

    it("connects when Join is pressed on both at the same moment, five times out of five", async () => {
      for (let round = 0; round < 5; round++) {
        const room = newRoom();
        const fox = await open("firefox", room);
        const chrome = await open("chromium", room);
        await Promise.all([fillName(fox, "Fox"), fillName(chrome, "Chrome")]);
        await Promise.all([pressJoin(fox), pressJoin(chrome)]);
        await Promise.all([waitForConnected(fox), waitForConnected(chrome)]);
        await Promise.all([waitForMediaFromAll(fox), waitForMediaFromAll(chrome)]);
        await engines.closeAll();
      }
    });

    it("chats both ways, and sends a 5 MB file each way intact", async () => {
      const [fox, chrome] = await pair("firefox");
      await sendChat(fox, "hello from Firefox");
      await sendChat(chrome, "hello from Chromium");
      for (const page of [fox, chrome]) {
        await expect.poll(() => chatTexts(page)).toHaveLength(2);
        expect((await chatTexts(page)).sort()).toEqual(["hello from Chromium", "hello from Firefox"]);
      }
      const size = 5 * 1024 * 1024;
      for (const [from, to] of [
        [fox, chrome],
        [chrome, fox],
      ] as const) {
        const name = `from-${from.engine}.bin`;
        const sha = await offerRandomFile(from, name, size);
        expect(await acceptFile(to, name)).toEqual({ size, sha });
      }
      expect([...fox.problems, ...chrome.problems]).toEqual([]);
    }, 90_000);

    it("shows microphone and camera toggles on the other engine, in icons and in the media itself", async () => {
      const [fox, chrome] = await pair("firefox");
      for (const [from, fromName, to] of [
        [fox, "Fox", chrome],
        [chrome, "Chrome", fox],
      ] as const) {
        const live = await seenPeer(to, fromName);
        expect(live).toMatchObject({ micOff: false, cameraOff: false });
        expect(live.brightness).toBeGreaterThan(20);

        await clickButton(from, "Microphone");
        await clickButton(from, "Camera");
        await expect.poll(() => seenPeer(to, fromName).then((s) => [s.micOff, s.cameraOff])).toEqual([true, true]);
        await expect.poll(() => seenPeer(to, fromName).then((s) => s.brightness), { timeout: 5_000 }).toBeLessThan(5);
        await expect
          .poll(() => seenPeer(to, fromName).then((s) => s.audioLevel), { timeout: 5_000 })
          .toBeLessThan(0.001);

        await clickButton(from, "Microphone");
        await clickButton(from, "Camera");
        await expect.poll(() => seenPeer(to, fromName).then((s) => [s.micOff, s.cameraOff])).toEqual([false, false]);
        await expect
          .poll(() => seenPeer(to, fromName).then((s) => s.brightness), { timeout: 5_000 })
          .toBeGreaterThan(20);
        await expect
          .poll(() => seenPeer(to, fromName).then((s) => s.audioLevel), { timeout: 5_000 })
          .toBeGreaterThan(0.001);
      }
      // Muting never renegotiates: still one connection each.
      for (const page of [fox, chrome]) {
        expect(await page.evaluate(() => window.__tincanPeerConnections.length, undefined)).toBe(1);
      }
    });

    it("tells the truth about the connection in words, and offers devices and a speaker, on Firefox", async () => {
      const [fox] = await pair("chromium");
      await clickButton(fox, "Connection details for Chrome");
      const details = () =>
        fox.evaluate(
          () => document.querySelector('figure.tile[aria-label="Chrome"] .tile-details')?.textContent ?? "",
          undefined,
        );
      await expect
        .poll(details, { timeout: 5_000 })
        .toMatch(/direct, peer to peer; round trip \d+ ms; receiving [\d.]+ (k|M)bit\/s/);
      // Bitrates come from the stats Firefox has (its transport reports no bytes).
      const receiving = Number(/receiving ([\d.]+) (k|M)bit/.exec(await details())![1]);
      expect(receiving).toBeGreaterThan(0);

      await clickButton(fox, "Settings");
      await waitUntil(fox, () => document.querySelector("dialog[open]") !== null, undefined, { what: "Settings" });
      const settings = await fox.evaluate(() => {
        const dialog = document.querySelector("dialog[open]")!;
        return {
          camera: dialog.querySelector("select#settings-videoinput") !== null,
          microphone: dialog.querySelector("select#settings-audioinput") !== null,
          // A list of speakers, or the browser's own chooser (Firefox lists none before it).
          speaker:
            dialog.querySelector("select#settings-audiooutput") !== null ||
            dialog.querySelector("button#settings-speaker") !== null,
        };
      }, undefined);
      expect(settings).toEqual({ camera: true, microphone: true, speaker: true });
    });

    it("resumes the Firefox page's cut signaling socket while the call goes on", async () => {
      const [fox, chrome] = await pair("chromium");
      const foxId = await ownId(fox);
      await cutSignaling(fox);
      await waitUntil(
        fox,
        () => document.querySelector("[role=alert]")?.textContent?.includes("Calls in progress go on") ?? false,
        undefined,
        { what: "the reconnecting banner" },
      );
      const during = await mediaGrowth(chrome, 2_000);
      expect(during.frames[0]).toBeGreaterThan(10);
      await restoreSignaling(fox);
      await waitForStatus(fox, "Reconnected to the room", 20_000);
      expect(await ownId(fox)).toBe(foxId);
      await expectMediaBothWays([fox, chrome]);
      for (const page of [fox, chrome]) {
        expect(
          await page.evaluate(() => window.__tincanPeerConnections.map((pc) => pc.connectionState), undefined),
        ).toEqual(["connected"]);
      }
    });

    it("calls relay-only through the suite's coturn, with credentials minted for each page", async () => {
      const room = newRoom();
      const fox = await open("firefox", room, "?relay=1");
      const chrome = await open("chromium", room, "?relay=1");
      await joinRoom(fox, "Fox");
      await joinRoom(chrome, "Chrome");
      await Promise.all([waitForConnected(fox), waitForConnected(chrome)]);
      for (const page of [fox, chrome]) {
        expect(await selectedPairs(page)).toEqual([relayedPair()]);
        const turn = await page.evaluate(
          () =>
            window.__tincanPeerConnections[0]!.getConfiguration().iceServers!.filter((s) =>
              String(s.urls).startsWith("turn:"),
            ),
          undefined,
        );
        expect(turn).toHaveLength(1);
        // `<expiry>:<peer id>`, the expiry in the future: minted for this page, now.
        const [expiry, peer] = String(turn[0]!.username).split(":");
        expect(Number(expiry) * 1000).toBeGreaterThan(Date.now());
        expect(peer).toBe(await ownId(page));
      }
      await expectMediaBothWays([fox, chrome]);
    });

    it("meshes two Chromium pages and a Firefox page: all three connections up", async () => {
      const room = newRoom();
      const trio = [await open("chromium", room), await open("firefox", room), await open("chromium", room)];
      for (const [i, page] of trio.entries()) await joinRoom(page, `P${i + 1}`);
      await Promise.all(trio.map((page) => waitForConnected(page, 2, 30_000)));
      for (const page of trio) {
        const media = await waitForMediaFromAll(page, 20_000);
        expect(media.videoFrames).toHaveLength(2);
      }
    });
  },
  { firefox: true, coturn: true },
);
