// The room page as people see it: how much of the screen the tiles take at
// desktop and phone sizes, pinning and the spotlight a screen share takes,
// the state everyone sees on a tile, the panels, and the control bar.
// Figures are measured from the DOM (bounding boxes), not from the layout code.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { launchChromium } from "./support/chromium";
import { startDevServer, type DevServer } from "./support/dev-server";
import { joined, openPage, waitForConnected, waitForMediaFromAll, type TestPage } from "./support/pages";
import { describeWithChromium } from "./support/suite";

const DESKTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Measured {
  viewport: Box;
  stage: Box;
  tiles: { name: string; floating: boolean; pinned: boolean; box: Box }[];
}

/** Every tile's box, clipped to the viewport, and the stage's. */
function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const clip = (r: DOMRect) => {
      const x = Math.max(0, r.left);
      const y = Math.max(0, r.top);
      return { x, y, w: Math.max(0, Math.min(vw, r.right) - x), h: Math.max(0, Math.min(vh, r.bottom) - y) };
    };
    return {
      viewport: { x: 0, y: 0, w: vw, h: vh },
      stage: clip(document.querySelector(".stage-tiles")!.getBoundingClientRect()),
      tiles: [...document.querySelectorAll<HTMLElement>("figure.tile")].map((tile) => ({
        name: tile.getAttribute("aria-label") ?? "",
        floating: tile.classList.contains("is-floating"),
        pinned: tile.classList.contains("is-pinned"),
        box: clip(tile.getBoundingClientRect()),
      })),
    };
  });
}

const area = (b: Box) => b.w * b.h;

/** The share of the viewport the tiles cover; a floating preview lies over another tile and adds nothing. */
function coverage(m: Measured): number {
  const covered = m.tiles.filter((t) => !t.floating).reduce((sum, t) => sum + area(t.box), 0);
  return covered / area(m.viewport);
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describeWithChromium("the room page's layout, tiles, panels and controls", () => {
  let server: DevServer;
  let browser: Browser;
  const opened: TestPage[] = [];

  beforeAll(async () => {
    server = await startDevServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    for (const { context } of opened.splice(0)) await context.close().catch(() => {});
  });

  const newRoom = () => `page-${crypto.randomUUID().slice(0, 8)}`;

  async function openRoom(room: string, options?: Parameters<typeof openPage>[2]): Promise<Page> {
    const page = await openPage(browser, `${server.url}/${room}`, options);
    opened.push(page);
    return page.page;
  }

  /** Pages in one room, joined in order, connected to each other with media. */
  async function meeting(names: string[], room = newRoom()): Promise<Page[]> {
    const pages: Page[] = [];
    for (const name of names) {
      const page = await openRoom(room);
      await joined(page, name);
      pages.push(page);
    }
    await Promise.all(pages.map((page) => waitForConnected(page, names.length - 1)));
    if (names.length > 1) await Promise.all(pages.map((page) => waitForMediaFromAll(page)));
    return pages;
  }

  /** Tiles glide to their places (a CSS transition): measures once they stay put. */
  async function stable(page: Page): Promise<Measured> {
    let last = "";
    for (let tries = 0; ; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const m = await measure(page);
      const now = JSON.stringify(m);
      if (now === last) return m;
      if (tries === 20) throw new Error("the tiles never stayed put");
      last = now;
    }
  }

  /** Measures once the page has laid out `count` tiles for this viewport. */
  async function settled(page: Page, size: { width: number; height: number }, count: number): Promise<Measured> {
    await page.setViewportSize(size);
    await expect
      .poll(async () => {
        const m = await measure(page);
        return m.viewport.w === size.width && m.tiles.length === count && m.tiles.every((t) => area(t.box) > 0);
      })
      .toBe(true);
    return stable(page);
  }

  it(
    "fills the screen for 1, 2, 3 and 4 people at desktop and phone sizes, the four a full mesh with video",
    { timeout: 180_000 },
    async () => {
      const room = newRoom();
      const names = ["Alice", "Bob", "Carol", "Dave"];
      const pages: Page[] = [];
      const figures: Record<string, number> = {};
      for (const [index, name] of names.entries()) {
        const page = await openRoom(room);
        await joined(page, name);
        pages.push(page);
        const n = index + 1;
        // Four pages share two cores with the server on CI: give ICE its time.
        if (n > 1) await Promise.all(pages.map((p) => waitForConnected(p, n - 1, 30_000)));
        if (n === 4) {
          // The full mesh: six connections, and every page decodes the three others' video.
          for (const page of pages) {
            const media = await waitForMediaFromAll(page, 20_000);
            expect(media.videoFrames).toHaveLength(3);
            expect(media.videoFrames.every((frames) => frames > 0)).toBe(true);
          }
        }
        const alice = pages[0]!;

        const desktop = await settled(alice, DESKTOP, n);
        figures[`desktop-${n}`] = coverage(desktop);
        const phone = await settled(alice, PHONE, n);
        figures[`phone-${n}`] = coverage(phone);

        if (n === 1) {
          // Alone: our own preview fills the stage.
          expect(area(desktop.tiles[0]!.box) / area(desktop.stage)).toBeGreaterThan(0.95);
          expect(area(phone.tiles[0]!.box) / area(phone.stage)).toBeGreaterThan(0.95);
        }
        if (n === 2) {
          expect(figures["desktop-2"]).toBeGreaterThanOrEqual(0.6);
          // On a phone, the other person fills the screen; our preview floats small in a corner over it.
          const bob = phone.tiles.find((t) => t.name === "Bob")!;
          const self = phone.tiles.find((t) => t.name === "Alice (you)")!;
          expect(area(bob.box) / area(phone.viewport)).toBeGreaterThanOrEqual(0.7);
          expect(self.floating).toBe(true);
          expect(area(self.box) / area(bob.box)).toBeLessThan(0.15);
          expect(self.box.x + self.box.w).toBeGreaterThan(PHONE.width * 0.8); // a corner: the right-hand edge
        }
        if (n === 3) {
          expect(figures["desktop-3"]).toBeGreaterThanOrEqual(0.45);
          expect(figures["phone-3"]).toBeGreaterThanOrEqual(0.45);
        }
        if (n === 4) {
          expect(figures["desktop-4"]).toBeGreaterThanOrEqual(0.6);
          expect(figures["phone-4"]).toBeGreaterThanOrEqual(0.45);
        }
        // Never a tile over another, except the floating preview.
        for (const m of [desktop, phone]) {
          const fixed = m.tiles.filter((t) => !t.floating);
          for (const [i, a] of fixed.entries())
            for (const b of fixed.slice(i + 1)) expect(overlaps(a.box, b.box)).toBe(false);
        }
      }
      console.log(
        "[layout] tile coverage of the viewport:",
        Object.entries(figures)
          .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
          .join(", "),
      );
    },
  );

  it("pins any tile to take most of the stage, the others in a strip, and unpins it", async () => {
    const [alice] = await meeting(["Alice", "Bob", "Carol"]);
    const page = alice!;
    // Any tile goes fullscreen.
    await page.getByRole("button", { name: "Fullscreen Carol", exact: true }).click();
    await expect
      .poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute("aria-label") ?? null))
      .toBe("Carol");
    await page.evaluate(() => document.exitFullscreen());
    await settled(page, DESKTOP, 3);
    await page.getByRole("button", { name: "Pin Bob", exact: true }).click();
    const unpin = page.getByRole("button", { name: "Unpin Bob", exact: true });
    expect(await unpin.getAttribute("aria-pressed")).toBe("true");
    const pinned = await stable(page);
    const bob = pinned.tiles.find((t) => t.name === "Bob")!;
    expect(bob.pinned).toBe(true);
    expect(area(bob.box) / area(pinned.stage)).toBeGreaterThanOrEqual(0.55);
    // The others form a strip beside it: each smaller, none over it.
    for (const other of pinned.tiles.filter((t) => t.name !== "Bob")) {
      expect(area(other.box)).toBeLessThan(area(bob.box) / 4);
      expect(overlaps(other.box, bob.box)).toBe(false);
    }
    // On a phone too.
    const phone = await settled(page, PHONE, 3);
    const phoneBob = phone.tiles.find((t) => t.name === "Bob")!;
    expect(area(phoneBob.box) / area(phone.stage)).toBeGreaterThanOrEqual(0.55);

    await unpin.click();
    await page.getByRole("button", { name: "Pin Bob", exact: true }).waitFor();
    const grid = await settled(page, DESKTOP, 3);
    const sizes = grid.tiles.map((t) => area(t.box));
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.05); // equal tiles again
  });

  it("spotlights a screen share for the people watching it, uncropped, until they unpin it", async () => {
    const [alice, bob, carol] = await meeting(["Alice", "Bob", "Carol"]);
    await settled(bob!, DESKTOP, 3);
    await alice!.getByRole("button", { name: "Share screen", exact: true }).click();
    const unpinAlice = bob!.getByRole("button", { name: "Unpin Alice", exact: true });
    await unpinAlice.waitFor();
    const shared = await stable(bob!);
    const aliceTile = shared.tiles.find((t) => t.name === "Alice")!;
    expect(aliceTile.pinned).toBe(true);
    expect(area(aliceTile.box) / area(shared.stage)).toBeGreaterThanOrEqual(0.55);
    // A screen is shown whole (letterboxed), never cropped like a camera.
    const fit = (page: Page, name: string) =>
      page
        .getByRole("figure", { name, exact: true })
        .locator("video")
        .evaluate((video) => getComputedStyle(video).objectFit);
    expect(await fit(bob!, "Alice")).toBe("contain");
    expect(await fit(bob!, "Carol")).toBe("cover");
    // The sharer's own page does not spotlight its own screen.
    expect(await alice!.locator("figure.tile.is-pinned").count()).toBe(0);

    // Unpinned by Bob, it stays unpinned while the share goes on.
    await unpinAlice.click();
    await bob!.getByRole("button", { name: "Pin Alice", exact: true }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await bob!.locator("figure.tile.is-pinned").count()).toBe(0);
    // Carol, who did not unpin it, still has it spotlighted.
    expect(await carol!.getByRole("button", { name: "Unpin Alice", exact: true }).count()).toBe(1);
  });

  /**
   * Does `act` (which says when, by the page's clock) and returns how long it
   * took until every page in `pages` showed (or stopped showing) `selector`,
   * read by the pages' own polling: the test's round trips to a busy page
   * and Playwright's actionability checks do not count against the page.
   */
  async function delayUntil(pages: Page[], selector: string, shown: boolean, act: () => Promise<number>) {
    const seen = pages.map((page) =>
      page
        .waitForFunction(
          ([sel, want]) => {
            const el = document.querySelector<HTMLElement>(sel);
            return (el !== null && el.checkVisibility()) === want ? Date.now() : false;
          },
          [selector, shown] as const,
          { polling: 20, timeout: 10_000 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>),
    );
    const start = await act();
    const delay = Math.max(...(await Promise.all(seen))) - start;
    console.log(
      `[state] ${selector.replace(/.*aria-label="([^"]+)"\]$/, "$1")} ${shown ? "shown" : "gone"} after ${delay} ms`,
    );
    return delay;
  }

  it("shows everyone a muted microphone within a second, a camera that is off as initials, and a raised hand", async () => {
    const pages = await meeting(["Ada Lovelace", "Bob", "Carol"]);
    // Three pages that just connected (decoders starting, each page's own
    // speaking meter starting 3 s after its join) share two cores: on a busy
    // machine a page's main thread lags by a second then. Timed once settled.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const [ada, ...others] = pages as [Page, Page, Page];
    const adaTile = (page: Page) => page.getByRole("figure", { name: "Ada Lovelace", exact: true });
    const inAdasTile = (label: string) => `figure.tile[aria-label="Ada Lovelace"] [aria-label="${label}"]`;
    const micOff = (page: Page) => adaTile(page).getByRole("img", { name: "Microphone off", exact: true });
    // A click inside the page, timed there.
    const button = (name: string) => () =>
      ada.evaluate((label) => {
        const at = Date.now();
        document.querySelector<HTMLButtonElement>(`.toolbar button[aria-label="${label}"]`)!.click();
        return at;
      }, name);
    // A key, timed there too (the shortcuts listen on the document; a real key starts at the body).
    const key = (k: string) => () =>
      ada.evaluate((k) => {
        const at = Date.now();
        document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
        return at;
      }, k);

    for (const page of others) expect(await micOff(page).isVisible()).toBe(false);
    expect(await delayUntil(others, inAdasTile("Microphone off"), true, button("Microphone"))).toBeLessThan(1_000);
    expect(await micOff(others[0]).isVisible()).toBe(true); // the same icon, by its accessible name
    // Ourselves too.
    expect(
      await ada
        .getByRole("figure", { name: "Ada Lovelace (you)" })
        .getByRole("img", { name: "Microphone off" })
        .isVisible(),
    ).toBe(true);
    const unmute = key("m");
    expect(await delayUntil(others, inAdasTile("Microphone off"), false, unmute)).toBeLessThan(1_000);

    // Camera off: initials on a colour, not a black frame.
    const avatar = (page: Page) => adaTile(page).getByRole("img", { name: "Camera off", exact: true });
    expect(await delayUntil(others, inAdasTile("Camera off"), true, button("Camera"))).toBeLessThan(1_000);
    for (const page of others) {
      expect(await avatar(page).textContent()).toBe("AL");
      expect(await adaTile(page).locator("video").isVisible()).toBe(false);
      const background = await avatar(page)
        .locator("span")
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).not.toMatch(/^rgba?\(0, 0, 0[,)]/);
    }
    expect(await delayUntil(others, inAdasTile("Camera off"), false, button("Camera"))).toBeLessThan(1_000);

    // Raise hand (H), seen on every page, then lowered.
    const raise = key("h");
    expect(await delayUntil(others, inAdasTile("Hand raised"), true, raise)).toBeLessThan(1_000);
    expect(await ada.getByRole("button", { name: "Raise hand", exact: true }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    expect(
      await ada
        .getByRole("figure", { name: "Ada Lovelace (you)" })
        .getByRole("img", { name: "Hand raised" })
        .isVisible(),
    ).toBe(true);
    // The People panel lists the hand too, in words.
    await others[0].getByRole("button", { name: "People", exact: true }).click();
    const list = others[0].getByRole("region", { name: "People" });
    await expect
      .poll(() => list.getByRole("listitem").filter({ hasText: "Ada Lovelace" }).textContent())
      .toContain("hand raised");
    expect(await list.getByRole("listitem").count()).toBe(3);
    // Every Tincan page says its state the moment the channel opens: nobody is left "not known".
    expect(await list.textContent()).not.toContain("not known");
    expect(await delayUntil(others, inAdasTile("Hand raised"), false, button("Raise hand"))).toBeLessThan(1_000);
  });

  it("keeps one panel open at a time: People closes Chat, Escape and Close close it, Files can be closed", async () => {
    const [alice] = await meeting(["Alice", "Bob"]);
    const page = alice!;
    await page.setViewportSize(DESKTOP);
    const chat = page.getByRole("region", { name: "Chat" });
    const people = page.getByRole("region", { name: "People" });
    const files = page.getByRole("region", { name: "Files" });
    const chatButton = page.getByRole("button", { name: "Chat", exact: true });

    await chatButton.click();
    await chat.waitFor();
    expect(await chatButton.getAttribute("aria-expanded")).toBe("true");
    await page.getByRole("button", { name: "People", exact: true }).click();
    await people.waitFor();
    expect(await chat.isVisible()).toBe(false);
    expect(await chatButton.getAttribute("aria-expanded")).toBe("false");

    await page.keyboard.press("Escape");
    await people.waitFor({ state: "hidden" });

    await page.getByRole("button", { name: "Files", exact: true }).click();
    await files.waitFor();
    await page.getByRole("button", { name: "Close files", exact: true }).click();
    await files.waitFor({ state: "hidden" });

    // On a phone the panel is a sheet above the control bar, which stays visible and usable.
    await page.setViewportSize(PHONE);
    await chatButton.click();
    await chat.waitFor();
    const sheet = (await chat.boundingBox())!;
    const bar = (await page.getByRole("toolbar", { name: "Call controls" }).boundingBox())!;
    expect(sheet.y + sheet.height).toBeLessThanOrEqual(bar.y + 1);
    expect(bar.y + bar.height).toBeLessThanOrEqual(PHONE.height);
    expect(sheet.width).toBeGreaterThan(PHONE.width * 0.9);
    await chatButton.click(); // the bar is not covered: its Chat button closes the sheet
    await chat.waitFor({ state: "hidden" });
  });

  it("puts Join in sight on the pre-join screen at both sizes, and says who is already here", async () => {
    const room = newRoom();
    for (const size of [DESKTOP, PHONE]) {
      const page = await openRoom(room);
      await page.setViewportSize(size);
      const join = page.getByRole("button", { name: "Join", exact: true });
      await join.waitFor();
      await page.getByText("This is how you will look.").waitFor();
      const box = (await join.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(size.height);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      // The level meter moves with the fake microphone's beeps.
      const meter = page.getByRole("meter", { name: "Microphone level" });
      await expect.poll(() => meter.evaluate((m) => (m as HTMLMeterElement).value)).toBeGreaterThan(0.01);
    }
    await joined(opened[0]!.page, "Alice");
    const later = await openRoom(room);
    await later.getByText("1 person is already here.").waitFor();
    // A join shows as a short toast, and in the live region for screen readers.
    await joined(later, "Bob");
    const alice = opened[0]!.page;
    await alice.locator(".toast").filter({ hasText: "Bob joined" }).waitFor();
    await alice.getByRole("status").filter({ hasText: "Bob joined" }).waitFor();
    await expect.poll(() => alice.locator(".toast").count(), { timeout: 8_000 }).toBe(0);
  });

  it("keeps the control bar to one row on a 390 px phone, the rest in More", async () => {
    const [alice] = await meeting(["Alice"]);
    const page = alice!;
    await page.setViewportSize(PHONE);
    const bar = page.getByRole("toolbar", { name: "Call controls" });
    const tops = await bar.evaluate((toolbar) =>
      [...toolbar.querySelectorAll("button")]
        .filter((b) => b.getClientRects().length > 0 && !b.closest(".toolbar-secondary"))
        .map((b) => Math.round(b.getBoundingClientRect().top)),
    );
    expect(tops.length).toBeGreaterThanOrEqual(6);
    expect(new Set(tops).size).toBe(1);
    const box = (await bar.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    for (const name of ["Microphone", "Camera", "Share screen", "Raise hand", "Chat", "People", "Leave"]) {
      expect(await page.getByRole("button", { name, exact: true }).isVisible()).toBe(true);
    }
    // The less-used ones wait in More.
    expect(await page.getByRole("button", { name: "Copy link", exact: true }).isVisible()).toBe(false);
    await page.getByRole("button", { name: "More", exact: true }).click();
    for (const name of ["Send file", "Copy link", "Settings", "Help"]) {
      expect(await page.getByRole("button", { name, exact: true }).isVisible()).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("button", { name: "Copy link", exact: true }).isVisible()).toBe(false);
  });

  it("offers no Share screen where the browser cannot share a screen", async () => {
    const room = newRoom();
    const page = await openRoom(room, {
      init: [() => delete (MediaDevices.prototype as { getDisplayMedia?: unknown }).getDisplayMedia],
    });
    await joined(page, "Alice");
    await page.getByRole("button", { name: "Microphone", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Share screen" }).count()).toBe(0);
  });
});
