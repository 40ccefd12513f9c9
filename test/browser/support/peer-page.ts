// A Tincan page in either engine, driven the same way: everything happens
// through evaluate() and the page's own DOM (by accessible names), so a test
// reads the same for a Chromium page and a Firefox page.
import type { Browser } from "playwright-core";
import { waitUntil, type Evaluator } from "./evaluator.ts";
import type { Firefox } from "./firefox.ts";
import { RECORDERS, openPage } from "./pages.ts";

export type Engine = "chromium" | "firefox";

export interface PeerPage extends Evaluator {
  engine: Engine;
  /** Uncaught errors and console errors the page reported, in order. */
  problems: string[];
  close(): Promise<void>;
}

export async function openChromiumPeer(browser: Browser, url: string): Promise<PeerPage> {
  const { context, page } = await openPage(browser, url);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  const evaluator: Evaluator = page;
  return {
    engine: "chromium",
    problems,
    evaluate: (fn, arg) => evaluator.evaluate(fn, arg),
    close: () => context.close().catch(() => {}),
  };
}

export async function openFirefoxPeer(firefox: Firefox, url: string): Promise<PeerPage> {
  const context = await firefox.browser.createBrowserContext();
  // A window of its own: a background tab would have its timers throttled.
  const page = await context.newPage({ type: "window" });
  page.setDefaultTimeout(15_000);
  for (const script of RECORDERS) await page.evaluateOnNewDocument(script);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`uncaught: ${error instanceof Error ? error.message : error}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return {
    engine: "firefox",
    problems,
    // Puppeteer's typing of evaluate differs from Playwright's; the call is the same.
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      page.evaluate(fn as (arg: unknown) => R, arg) as Promise<R>,
    close: () => context.close().catch(() => {}),
  };
}

/**
 * Clicks the enabled button whose accessible name (aria-label, else its text)
 * is exactly `name`, inside `within` (a CSS selector; the whole page by
 * default), waiting up to `timeoutMs` for it to appear.
 */
export async function clickButton(
  page: Evaluator,
  name: string,
  { within = "body", timeoutMs = 15_000 }: { within?: string; timeoutMs?: number } = {},
): Promise<void> {
  const clicked = await page.evaluate(
    async ({ name, within, timeoutMs }) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const button of document.querySelectorAll<HTMLButtonElement>(`${within} button`)) {
          const label = button.getAttribute("aria-label") ?? button.textContent?.trim() ?? "";
          if (label === name && !button.disabled) {
            button.click();
            return true;
          }
        }
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    { name, within, timeoutMs },
  );
  if (!clicked) throw new Error(`no enabled button named "${name}" within ${timeoutMs} ms`);
}

/** Types a name on the pre-join screen once it is there (camera ready), without joining. */
export async function fillName(page: Evaluator, name: string): Promise<void> {
  await waitUntil(
    page,
    () => {
      const preview = document.querySelector<HTMLVideoElement>("video.preview");
      return document.getElementById("display-name") !== null && (preview?.srcObject ?? null) !== null;
    },
    undefined,
    { what: "the pre-join screen with the camera on" },
  );
  await page.evaluate((value) => {
    const input = document.getElementById("display-name") as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, name);
}

export async function pressJoin(page: Evaluator): Promise<void> {
  await page.evaluate(() => {
    document.querySelector<HTMLButtonElement>("form.prejoin button[type=submit]")!.click();
  }, undefined);
}

/** Joins as `name` and waits until the page says it is in the room. */
export async function joinRoom(page: Evaluator, name: string): Promise<void> {
  await fillName(page, name);
  await pressJoin(page);
  await waitForStatus(page, `You joined as ${name}`);
}

/** Waits until the page's status line says `text`. */
export async function waitForStatus(page: Evaluator, text: string, timeoutMs = 15_000): Promise<void> {
  await waitUntil(
    page,
    (wanted) => [...document.querySelectorAll("[role=status]")].some((el) => el.textContent?.includes(wanted)),
    text,
    { timeoutMs, what: `the status "${text}"` },
  );
}

/** The id the room gave this page (its own tile carries it). */
export async function ownId(page: Evaluator): Promise<string> {
  return page.evaluate(() => document.querySelector<HTMLElement>("figure.tile")?.dataset["peerId"] ?? "", undefined);
}

// ---- chat ----------------------------------------------------------------

export async function sendChat(page: Evaluator, text: string): Promise<void> {
  await page.evaluate((message) => {
    const input = document.getElementById("chat-message") as HTMLInputElement;
    input.value = message;
    input.form!.requestSubmit();
  }, text);
}

export async function chatTexts(page: Evaluator): Promise<string[]> {
  return page.evaluate(
    () => [...document.querySelectorAll(".chat-log .chat-text")].map((el) => el.textContent ?? ""),
    undefined,
  );
}

// ---- files ---------------------------------------------------------------

/**
 * Makes a file in the page (`size` random bytes, or `text`), offers it as
 * `name` to everyone through the page's own Send file dialog, and returns its
 * SHA-256. Made in the page, not pushed through the browser driver: a 40 MB
 * buffer through the driver takes seconds a busy machine may not give.
 */
export async function offerFileInPage(
  page: Evaluator,
  name: string,
  content: { size: number; type?: string } | { text: string; type?: string },
): Promise<string> {
  const sha = await page.evaluate(
    async ({ name, content }) => {
      let bytes: Uint8Array<ArrayBuffer>;
      if ("text" in content) {
        bytes = new TextEncoder().encode(content.text);
      } else {
        bytes = new Uint8Array(content.size);
        for (let offset = 0; offset < content.size; offset += 65_536) {
          crypto.getRandomValues(bytes.subarray(offset, Math.min(content.size, offset + 65_536)));
        }
      }
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: content.type ?? "application/octet-stream" }));
      (document.getElementById("file-input") as HTMLInputElement).files = transfer.files;
      const digest = await crypto.subtle.digest("SHA-256", bytes);
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    },
    { name, content },
  );
  await clickButton(page, "Send file");
  await clickButton(page, "Send", { within: "dialog[open]" });
  return sha;
}

/** `size` random bytes, made in the page and offered as `name`; returns their SHA-256. */
export function offerRandomFile(page: Evaluator, name: string, size: number): Promise<string> {
  return offerFileInPage(page, name, { size });
}

/** Accepts the offer of `name`, waits for the checked download, and returns its size and SHA-256. */
export async function acceptFile(
  page: Evaluator,
  name: string,
  timeoutMs = 60_000,
): Promise<{ size: number; sha: string }> {
  await clickButton(page, `Accept ${name}`);
  await waitUntil(
    page,
    (file) => [...document.querySelectorAll("a[download]")].some((a) => a.textContent === `Download ${file}`),
    name,
    { timeoutMs, what: `the download of ${name}` },
  );
  return page.evaluate(async (file) => {
    const link = [...document.querySelectorAll<HTMLAnchorElement>("a[download]")].find(
      (a) => a.textContent === `Download ${file}`,
    )!;
    const data = await (await fetch(link.href)).arrayBuffer();
    const digest = await crypto.subtle.digest("SHA-256", data);
    return {
      size: data.byteLength,
      sha: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""),
    };
  }, name);
}

// ---- what a page shows of a peer ---------------------------------------------

export interface SeenPeer {
  micOff: boolean;
  cameraOff: boolean;
  /** Average brightness (0–255) of the peer's picture right now. */
  brightness: number;
  /** The audio level of the peer's sound right now (0–1). */
  audioLevel: number;
}

/** What the page shows and receives of the peer named `name` (its only other peer). */
export async function seenPeer(page: Evaluator, name: string): Promise<SeenPeer> {
  return page.evaluate(async (peer) => {
    const tile = document.querySelector<HTMLElement>(`figure.tile[aria-label="${CSS.escape(peer)}"]`);
    if (!tile) throw new Error(`no tile for ${peer}`);
    const flag = (label: string) => {
      const icon = tile.querySelector(`[role=img][aria-label="${label}"]`) as HTMLElement | null;
      return icon !== null && !icon.hidden;
    };
    const brightness = window.__tincanBrightness(tile.querySelector("video")!);
    let audioLevel = 0;
    const pc = window.__tincanPeerConnections.find((c) => c.connectionState !== "closed")!;
    (await pc.getStats()).forEach((r: { type: string; kind?: string; audioLevel?: number }) => {
      if (r.type === "inbound-rtp" && r.kind === "audio") audioLevel = r.audioLevel ?? 0;
    });
    return {
      micOff: flag("Microphone off"),
      cameraOff: flag("Camera off"),
      brightness,
      audioLevel,
    };
  }, name);
}
