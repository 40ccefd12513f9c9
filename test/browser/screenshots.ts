// `npm run screenshots`: the landing page, the pre-join screen and a
// three-peer room, in light and dark, at desktop and phone size, into
// docs/screenshots/ for the README.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromiumPath, launchChromium } from "./support/chromium.ts";
import { startDevServer } from "./support/dev-server.ts";

const OUT = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
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

try {
  for (const theme of THEMES) {
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      const room = `demo-${theme}-${size}`;
      const ctx = await context(size, theme);
      const page = await ctx.newPage();
      await page.goto(`${server.url}/`);
      await page.screenshot({ path: `${OUT}landing-${theme}-${size}.png` });
      await page.goto(`${server.url}/${room}`);
      await page.getByText("This is how you will look.").waitFor();
      await page.getByLabel("Your name").fill("Ada");
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${OUT}prejoin-${theme}-${size}.png` });

      // Two more people, from their own (desktop) contexts.
      const others: BrowserContext[] = [];
      for (const name of ["Grace", "Linus"]) {
        const other = await context("desktop", theme);
        others.push(other);
        const otherPage = await other.newPage();
        await otherPage.goto(`${server.url}/${room}`);
        await join(otherPage, name);
      }
      await join(page, "Ada");
      await page.waitForFunction(() => document.querySelectorAll("figure.tile").length === 3);
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll(".tile-status")].filter((s) => s.textContent?.startsWith("connected"))
            .length === 2,
        undefined,
        { timeout: 20_000 },
      );
      await page.waitForFunction(
        () => [...document.querySelectorAll("figure.tile video")].every((v) => (v as HTMLVideoElement).videoWidth > 0),
        undefined,
        { timeout: 20_000 },
      );
      await page.getByRole("button", { name: "Chat", exact: true }).click();
      await page.getByLabel("Message", { exact: true }).fill("Hello both! The link is in the invite.");
      await page.getByLabel("Message", { exact: true }).press("Enter");
      await page.waitForTimeout(1_500);
      await page.screenshot({ path: `${OUT}room-${theme}-${size}.png`, fullPage: size === "phone" });
      for (const other of others) await other.close();
      await ctx.close();
      console.log(`${theme} ${size}: done`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
