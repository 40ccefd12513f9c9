// Pages in the lab's homes, for tests and the benchmark alike: browsers of
// either engine inside any host, started on first use and kept, and every
// page opened remembered so it can be closed. No test runner here.
import type { Browser } from "playwright-core";
import type { Firefox } from "../../browser/support/firefox.ts";
import { openChromiumPeer, openFirefoxPeer, type Engine, type PeerPage } from "../../browser/support/peer-page.ts";
import { launchLabChromium, launchLabFirefox } from "../lab/browsers.ts";
import type { Lab } from "../lab/lab.ts";
import type { HostName } from "../lab/plan.ts";

export type Server = "tincan" | "stun-only";

export interface LabSession {
  readonly lab: Lab;
  readonly delayTool: string;
  url(server?: Server): string;
  /** A page of `server` at `path` (a room), in `engine` on `host`. */
  open(host: HostName, engine: Engine, path: string, server?: Server): Promise<PeerPage>;
}

export interface LabSessionControl {
  session: LabSession;
  /** Every page opened so far, closed. */
  closePages(): Promise<void>;
  /** Every page and browser, closed. */
  close(): Promise<void>;
  /** The pages opened so far, in order. */
  pages(): PeerPage[];
}

export function labSession(
  lab: () => Lab,
  options: { delayTool: string; tincan: string; stunOnly: string },
): LabSessionControl {
  const chromiums = new Map<HostName, Promise<Browser>>();
  const firefoxes = new Map<HostName, Promise<Firefox>>();
  const opened: PeerPage[] = [];
  const origins = [options.tincan, options.stunOnly];
  const chromium = (host: HostName) => {
    let browser = chromiums.get(host);
    if (!browser) chromiums.set(host, (browser = launchLabChromium(lab(), host, { origins })));
    return browser;
  };
  const firefox = (host: HostName) => {
    let browser = firefoxes.get(host);
    if (!browser) firefoxes.set(host, (browser = launchLabFirefox(lab(), host, { origins })));
    return browser;
  };
  const session: LabSession = {
    get lab() {
      return lab();
    },
    delayTool: options.delayTool,
    url: (server = "tincan") => (server === "tincan" ? options.tincan : options.stunOnly),
    async open(host, engine, path, server = "tincan") {
      const url = `${this.url(server)}/${path}`;
      const page =
        engine === "firefox"
          ? await openFirefoxPeer(await firefox(host), url)
          : await openChromiumPeer(await chromium(host), url);
      opened.push(page);
      return page;
    },
  };
  const closePages = async () => {
    await Promise.all(opened.splice(0).map((page) => page.close()));
  };
  return {
    session,
    closePages,
    pages: () => [...opened],
    async close() {
      await closePages();
      const browsers = [...chromiums.values()].map(async (b) => (await b.catch(() => null))?.close());
      const foxes = [...firefoxes.values()].map(async (f) => (await f.catch(() => null))?.close());
      await Promise.all([...browsers, ...foxes]);
    },
  };
}
