// `npm run screenshots`: the landing page, the pre-join screen, rooms of
// 1, 2 and 4 people (with a muted microphone, a camera off and a raised
// hand) and a screen share taking the stage, in light and dark, at desktop
// and phone size, into docs/screenshots/ for the README.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumPath, launchChromium } from "./support/chromium.ts";
import { startDevServer } from "./support/dev-server.ts";

const OUT = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const SIZES = { desktop: { width: 1280, height: 720 }, phone: { width: 390, height: 844 } } as const;
const THEMES = ["light", "dark"] as const;

if (!chromiumPath) {
  console.error("Chromium is needed: apt-get install -y chromium");
  process.exit(1);
}
await mkdir(OUT, { recursive: true });
const server = await startDevServer();
const browser: Browser = await launchChromium();

async function context(size: keyof typeof SIZES, theme: (typeof THEMES)[number]): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: SIZES[size],
    colorScheme: theme,
    deviceScaleFactor: size === "phone" ? 2 : 1,
    isMobile: size === "phone",
    hasTouch: size === "phone",
  });
  await ctx.grantPermissions(["camera", "microphone"]);
  return ctx;
}

async function join(page: Page, name: string): Promise<void> {
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `You joined as ${name}` })
    .waitFor();
}

/** Waits until the page shows `count` tiles, every remote one connected with a picture. */
async function settled(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll("figure.tile").length === n, count);
  await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll(".tile-status")].filter((s) => s.textContent?.startsWith("connected")).length ===
      n - 1,
    count,
    { timeout: 20_000 },
  );
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("figure.tile:not(.is-camera-off) video")].every(
        (v) => (v as HTMLVideoElement).videoWidth > 0,
      ),
    undefined,
    { timeout: 20_000 },
  );
  await page.waitForTimeout(800); // tiles glide into place
}

try {
  for (const theme of THEMES) {
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      const shot = (page: Page, what: string) => page.screenshot({ path: `${OUT}${what}-${theme}-${size}.png` });
      const room = `demo-${theme}-${size}`;
      const ctx = await context(size, theme);
      const page = await ctx.newPage();
      await page.goto(`${server.url}/${room}`);
      await page.getByText("This is how you will look.").waitFor();
      await page.getByLabel("Your name").fill("Ada Lovelace");
      await page.waitForTimeout(500);
      await shot(page, "prejoin");
      await join(page, "Ada Lovelace");
      await settled(page, 1);
      await shot(page, "room-1");

      // The others, from their own (desktop) contexts.
      const others: Page[] = [];
      const contexts: BrowserContext[] = [];
      const arrive = async (name: string) => {
        const other = await context("desktop", theme);
        contexts.push(other);
        const otherPage = await other.newPage();
        await otherPage.goto(`${server.url}/${room}`);
        await join(otherPage, name);
        others.push(otherPage);
      };
      await arrive("Grace Hopper");
      await settled(page, 2);
      await page.waitForTimeout(3_000); // past the join toast
      await shot(page, "room-2");

      await arrive("Linus");
      await arrive("Margaret Hamilton");
      await others[1]!.getByRole("button", { name: "Microphone", exact: true }).click();
      await others[2]!.getByRole("button", { name: "Camera", exact: true }).click();
      await others[0]!.getByRole("button", { name: "Raise hand", exact: true }).click();
      await settled(page, 4);
      await page.waitForTimeout(3_000);
      await shot(page, "room-4");

      // Grace shares her screen: it takes the stage on Ada's page by itself.
      await others[0]!.getByRole("button", { name: "Raise hand", exact: true }).click();
      await others[0]!.getByRole("button", { name: "Share screen", exact: true }).click();
      await page.getByRole("button", { name: "Unpin Grace Hopper", exact: true }).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(1_500);
      await shot(page, "room-share");
      // Back to the landing page, which now lists the room among the recent ones.
      await page.goto(`${server.url}/`);
      await shot(page, "landing");
      for (const other of contexts) await other.close();
      await ctx.close();
      console.log(`${theme} ${size}: done`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
