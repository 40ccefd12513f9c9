// The Node side of one PeerJS peer: a browser context of its own with the
// harness page served (by route, before the network) on the server's origin,
// and bounded waits on what the harness recorded. A wait that runs out says
// what the page saw, since "timed out" alone does not tell a server that never
// answered from one that answered wrong.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { waitUntil } from "./evaluator.ts";
import { HARNESS_HTML, installPeerjsHarness, type PeerState, type VideoIn, type Wire } from "./peerjs-harness.ts";
import type { PeerjsServerOptions } from "./peerjs-targets.ts";

const CLIENT_PATH = fileURLToPath(new URL("../../../node_modules/peerjs/dist/peerjs.min.js", import.meta.url));
let client: Promise<string> | undefined;
const clientScript = () => (client ??= readFile(CLIENT_PATH, "utf8"));

/** How much of the page's console a failure message carries. */
const CONSOLE_LINES = 40;

export interface PeerError {
  type: string;
  message: string;
  /** ms since the page loaded. */
  at: number;
}

export class PeerjsPage {
  readonly context: BrowserContext;
  readonly page: Page;
  private readonly console: string[] = [];

  // Plain fields, not parameter properties: the file stays runnable by Node's type stripping.
  private constructor(context: BrowserContext, page: Page) {
    this.context = context;
    this.page = page;
    page.on("console", (message) => this.remember(`console.${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => this.remember(`uncaught: ${error.message}`));
  }

  /** A fresh context whose page is `${origin}/__test/peerjs.html`, with the harness installed. */
  static async open(browser: Browser, origin: string): Promise<PeerjsPage> {
    const context = await browser.newContext();
    try {
      // The fake camera is only handed out with the permission; it also lets
      // Chromium put real (loopback) addresses in candidates instead of mDNS
      // names. A document fulfilled by a route came from no address, so
      // Chromium counts it as public and would block its WebSocket to
      // 127.0.0.1 (Local Network Access) unless the page may reach loopback.
      await context.grantPermissions(["camera", "microphone", "local-network-access"], { origin });
      await context.route(`${origin}/__test/**`, async (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === "/__test/peerjs.html") {
          await route.fulfill({ contentType: "text/html; charset=utf-8", body: HARNESS_HTML });
        } else if (path === "/__test/peerjs.min.js") {
          await route.fulfill({ contentType: "text/javascript; charset=utf-8", body: await clientScript() });
        } else {
          await route.fulfill({ status: 404, body: "not part of the harness" });
        }
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const peer = new PeerjsPage(context, page);
      await page.goto(`${origin}/__test/peerjs.html`, { timeout: 15_000 });
      await page.evaluate(installPeerjsHarness);
      return peer;
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
  }

  private remember(line: string): void {
    this.console.push(line);
    if (this.console.length > CONSOLE_LINES) this.console.shift();
  }

  /** The harness's event log and the page's recent console, for failure messages. */
  async story(): Promise<string> {
    const log = await this.page.evaluate(() => window.__peerjs.log).catch(() => ["(page not readable)"]);
    return [`events:`, ...log.map((l) => `  ${l}`), `console:`, ...this.console.map((l) => `  ${l}`)].join("\n");
  }

  private async waitFor<A>(check: (arg: A) => boolean, arg: A, what: string, timeoutMs: number): Promise<void> {
    try {
      await waitUntil(this.page, check, arg, { timeoutMs, what });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await this.story()}`);
    }
  }

  /** new Peer(id, options); null asks the server for an id. ICE stays on loopback: no STUN or TURN to wait for. */
  async start(id: string | null, server: PeerjsServerOptions): Promise<void> {
    const options = { ...server, config: { iceServers: [] }, debug: 2 };
    await this.page.evaluate(({ id, options }) => window.__peerjs.start(id, options), { id, options });
  }

  /** Waits for the `count`th 'open' and returns the id it reported. */
  async waitForOpen(count = 1, timeoutMs = 10_000): Promise<string> {
    await this.waitFor((n) => window.__peerjs.opens.length >= n, count, `'open' #${count}`, timeoutMs);
    return this.page.evaluate((n) => window.__peerjs.opens[n - 1]!, count);
  }

  async waitForError(type: string, timeoutMs = 10_000): Promise<PeerError> {
    await this.waitFor((t) => window.__peerjs.errors.some((e) => e.type === t), type, `an '${type}' error`, timeoutMs);
    return this.page.evaluate((t) => window.__peerjs.errors.find((e) => e.type === t)!, type);
  }

  errors(): Promise<PeerError[]> {
    return this.page.evaluate(() => window.__peerjs.errors);
  }

  async waitForDisconnected(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => window.__peerjs.disconnects > 0, undefined, "'disconnected'", timeoutMs);
  }

  /** Starts a data connection; returns when it asked (ms since the page loaded). */
  connect(remote: string): Promise<number> {
    return this.page.evaluate((r) => window.__peerjs.connect(r), remote);
  }

  async waitForDataOpen(remote: string, timeoutMs = 15_000): Promise<void> {
    await this.waitFor((r) => window.__peerjs.dataOpen(r), remote, `an open data connection with ${remote}`, timeoutMs);
  }

  send(remote: string, payload: Wire): Promise<void> {
    return this.page.evaluate(({ remote, payload }) => window.__peerjs.send(remote, payload), { remote, payload });
  }

  /** Waits until `count` payloads came from `remote`, and returns all that did. */
  async waitForReceived(remote: string, count: number, timeoutMs = 10_000): Promise<Wire[]> {
    await this.waitFor(
      ({ remote, count }) => window.__peerjs.received(remote).length >= count,
      { remote, count },
      `${count} payload(s) from ${remote}`,
      timeoutMs,
    );
    return this.page.evaluate((r) => window.__peerjs.received(r), remote);
  }

  call(remote: string): Promise<void> {
    return this.page.evaluate((r) => window.__peerjs.call(r), remote);
  }

  async answer(remote: string, timeoutMs = 15_000): Promise<void> {
    await this.waitFor((r) => window.__peerjs.incomingCall(r), remote, `a call from ${remote}`, timeoutMs);
    await this.page.evaluate((r) => window.__peerjs.answer(r), remote);
  }

  /** Waits until video from `remote` is decoded and shown with a size; returns what was seen. */
  async waitForVideo(remote: string, timeoutMs = 15_000): Promise<VideoIn> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const video = await this.page.evaluate((r) => window.__peerjs.videoFrom(r), remote);
      if (video.framesDecoded > 0 && video.videoWidth > 0) return video;
      if (Date.now() > deadline) {
        throw new Error(
          `no video from ${remote} within ${timeoutMs} ms (last seen ${JSON.stringify(video)})\n${await this.story()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  reconnect(): Promise<void> {
    return this.page.evaluate(() => window.__peerjs.reconnect());
  }

  state(): Promise<PeerState> {
    return this.page.evaluate(() => window.__peerjs.state());
  }

  close(): Promise<void> {
    return this.context.close().catch(() => {});
  }
}
