// What a cross-engine test file needs: `wrangler dev`, Chromium and Firefox,
// started once for the file and stopped after it, and pages in either engine
// that are closed after each test.
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchChromium } from "./chromium.ts";
import { startDevServer, type DevServer } from "./dev-server.ts";
import { launchFirefox, type Firefox } from "./firefox.ts";
import { openChromiumPeer, openFirefoxPeer, type Engine, type PeerPage } from "./peer-page.ts";

export interface Engines {
  readonly server: DevServer;
  /** Opens `path` (a room, with any query) on the server in a fresh context of `engine`. */
  open(engine: Engine, path: string): Promise<PeerPage>;
  /** Opens any address (another app's page, on an origin of its own) in a fresh context of `engine`. */
  openAt(engine: Engine, url: string): Promise<PeerPage>;
  /** Closes every page opened so far (also done after each test). */
  closeAll(): Promise<void>;
}

/**
 * Registers the file's hooks. `vars` (wrangler vars) may depend on something
 * started first, such as a coturn.
 */
export function useEngines(vars: () => Promise<Record<string, string>> | Record<string, string> = () => ({})): Engines {
  let server: DevServer | undefined;
  let chromium: Browser | undefined;
  let firefox: Firefox | undefined;
  const opened: PeerPage[] = [];

  beforeAll(async () => {
    const serverVars = await vars();
    [server, chromium, firefox] = await Promise.all([startDevServer(serverVars), launchChromium(), launchFirefox()]);
    console.log(`cross-engine: Chromium ${chromium.version()}, Firefox ${firefox.version}`);
  });

  const closeAll = async () => {
    await Promise.all(opened.splice(0).map((page) => page.close()));
  };
  afterEach(closeAll);

  afterAll(async () => {
    await closeAll();
    await chromium?.close();
    await firefox?.close();
    await server?.stop();
  });

  return {
    get server() {
      if (!server) throw new Error("the server is not started yet");
      return server;
    },
    open(engine, path) {
      return this.openAt(engine, `${this.server.url}/${path}`);
    },
    async openAt(engine, url) {
      const page = engine === "firefox" ? await openFirefoxPeer(firefox!, url) : await openChromiumPeer(chromium!, url);
      opened.push(page);
      return page;
    },
    closeAll,
  };
}
