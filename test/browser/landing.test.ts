import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "./support/chromium";
import { describeWithChromium } from "./support/suite";
import { startDevServer, type DevServer } from "./support/dev-server";
import { openPage } from "./support/pages";

describeWithChromium("landing page and room links in Chromium", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDevServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("New room goes to a fresh unguessable room with the pre-join screen", async () => {
    const { page, context } = await openPage(browser, `${server.url}/`);
    try {
      const rooms = new Set<string>();
      for (let i = 0; i < 2; i++) {
        await page.goto(`${server.url}/`);
        await page.getByRole("button", { name: "New room" }).click();
        await page.waitForURL(/\/[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}$/);
        rooms.add(new URL(page.url()).pathname);
        await page.getByLabel("Your name").waitFor();
        await page.getByRole("button", { name: "Join", exact: true }).waitFor();
      }
      expect(rooms.size).toBe(2);
    } finally {
      await context.close();
    }
  });

  it("joins a room by name, canonical lower-case, and refuses a bad name", async () => {
    const { page, context } = await openPage(browser, `${server.url}/`);
    try {
      await page.getByLabel("Room name").fill("no spaces allowed");
      await page.getByRole("button", { name: "Join room" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toContain("letters, digits");
      expect(new URL(page.url()).pathname).toBe("/");

      await page.getByLabel("Room name").fill("Team-Blue");
      await page.getByRole("button", { name: "Join room" }).click();
      await page.waitForURL(/\/team-blue$/);
      await page.getByRole("heading", { name: "Room team-blue" }).waitFor();

      await page.goto(`${server.url}/Team-Blue`);
      await page.waitForURL(/\/team-blue$/);
      await page.goto(`${server.url}/not.a.room`);
      await page.getByRole("heading", { name: "That is not a room name" }).waitFor();
    } finally {
      await context.close();
    }
  });

  it("joins by a pasted room link, and lists the rooms joined lately, in this browser only", async () => {
    const { page, context } = await openPage(browser, `${server.url}/`);
    try {
      // Nothing joined yet: no list.
      expect(await page.getByRole("navigation", { name: "Recent rooms" }).count()).toBe(0);
      await page.getByLabel("Room name").fill(`${server.url}/Standup-7?x=1`);
      await page.getByRole("button", { name: "Join room" }).click();
      await page.waitForURL(/\/standup-7$/);
      await page.getByLabel("Your name").fill("Ada");
      await page.getByRole("button", { name: "Join", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "You joined as Ada" }).waitFor();
      await page.goto(`${server.url}/`);
      const recent = page.getByRole("navigation", { name: "Recent rooms" });
      await recent.getByRole("link", { name: "standup-7" }).click();
      await page.waitForURL(/\/standup-7$/);
      // Only a room that was joined, not one merely visited.
      await page.goto(`${server.url}/only-looked`);
      await page.getByRole("button", { name: "Join", exact: true }).waitFor();
      await page.goto(`${server.url}/`);
      expect(await recent.getByRole("link").allTextContents()).toEqual(["standup-7"]);
    } finally {
      await context.close();
    }
    // Another browser profile has none of it.
    const other = await openPage(browser, `${server.url}/`);
    try {
      await other.page.getByRole("button", { name: "New room" }).waitFor();
      expect(await other.page.getByRole("navigation", { name: "Recent rooms" }).count()).toBe(0);
    } finally {
      await other.context.close();
    }
  });
});
