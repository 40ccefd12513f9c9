// Chromium and Firefox running inside a lab host's namespace, so every
// packet they send leaves through that home's router. Playwright drives
// Chromium over a pipe, which crosses namespaces as it is. Firefox's
// WebDriver BiDi server listens on 127.0.0.1 inside the namespace, out of
// reach: a socat there passes it to a unix socket (files cross namespaces),
// and a small proxy here listens on the same port number on our own
// 127.0.0.1, so the Host header Firefox checks is already right.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import puppeteer from "puppeteer-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../../browser/support/chromium.ts";
import { freePort } from "../../browser/support/dev-server.ts";
import { FIREFOX_PREFS, firefoxPath, type Firefox } from "../../browser/support/firefox.ts";
import type { Lab } from "./lab.ts";
import { INTERNET, type HostName } from "./plan.ts";

const LAB_SERVERS = [INTERNET.tincan, INTERNET.turn, INTERNET.stun2];

/** The real binaries: Debian's launcher scripts add nothing here but noise. */
const CHROMIUM_BINARY = "/usr/lib/chromium/chromium";
const FIREFOX_BINARY = "/usr/lib/firefox-esr/firefox-esr";

export interface LabBrowserOptions {
  /** The origins the pages load from: treated as secure (camera, microphone, Web Crypto) though served over http. */
  origins: string[];
}

/** A folder for one browser's home, caches and wrapper, removed when it closes. */
async function browserHome(host: HostName, engine: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tincan-lab-${engine}-${host}-`));
  for (const sub of ["home", "cache", "config", "tmp"]) await mkdir(join(dir, sub));
  return dir;
}

function homeEnv(dir: string): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: join(dir, "home"),
    XDG_CACHE_HOME: join(dir, "cache"),
    XDG_CONFIG_HOME: join(dir, "config"),
    TMPDIR: join(dir, "tmp"),
  };
}

/** A script that runs `binary` inside the host's namespace with the arguments it is given. */
async function wrapper(dir: string, ns: string, binary: string): Promise<string> {
  const path = join(dir, "browser");
  await writeFile(path, `#!/bin/sh\nexec ip netns exec ${ns} ${binary} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

export async function launchLabChromium(lab: Lab, host: HostName, options: LabBrowserOptions): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium is not installed");
  const dir = await browserHome(host, "chromium");
  const browser = await chromium.launch({
    executablePath: await wrapper(dir, lab.ns("host", host), CHROMIUM_BINARY),
    headless: true,
    env: homeEnv(dir),
    args: [
      // A real browser on a real network: no loopback candidates.
      ...CHROMIUM_FLAGS.filter((flag) => flag !== "--allow-loopback-in-peer-connection"),
      `--unsafely-treat-insecure-origin-as-secure=${options.origins.join(",")}`,
      // No name lookups leave the lab: the lab's servers go by address (which
      // these rules would swallow too unless excluded); mDNS names (*.local)
      // resolve on the LAN.
      `--host-resolver-rules=MAP * ~NOTFOUND , ${LAB_SERVERS.map((ip) => `EXCLUDE ${ip}`).join(" , ")} , EXCLUDE *.local`,
    ],
    timeout: 30_000,
  });
  browser.on("disconnected", () => void rm(dir, { recursive: true, force: true }));
  return browser;
}

/** Passes TCP connections to 127.0.0.1:`port` here on to the unix socket at `path`. */
function proxyToSocket(port: number, path: string): Promise<Server> {
  const server = createServer((client) => {
    const upstream = createConnection({ path });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

export async function launchLabFirefox(lab: Lab, host: HostName, options: LabBrowserOptions): Promise<Firefox> {
  if (!firefoxPath) throw new Error("Firefox is not installed");
  const dir = await browserHome(host, "firefox");
  const ns = lab.ns("host", host);
  const port = await freePort();
  const socket = join(dir, "bidi.sock");
  const bridge = lab.spawnIn(ns, "socat", [`UNIX-LISTEN:${socket},fork`, `TCP:127.0.0.1:${port}`]);
  const proxy = await proxyToSocket(port, socket);
  const hosts = options.origins.map((origin) => new URL(origin).hostname);
  try {
    const browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath: await wrapper(dir, ns, FIREFOX_BINARY),
      headless: true,
      userDataDir: join(dir, "profile"),
      env: homeEnv(dir),
      args: [`--remote-debugging-port=${port}`],
      extraPrefsFirefox: {
        ...FIREFOX_PREFS,
        // A real browser on a real network: mDNS host names, no loopback candidates.
        "media.peerconnection.ice.loopback": false,
        "media.peerconnection.ice.obfuscate_host_addresses": true,
        "media.peerconnection.ice.default_address_only": false,
        // The pages load over http from a lab address: treat it as secure.
        "dom.securecontext.allowlist": hosts.join(","),
        "media.devices.insecure.enabled": true,
        "media.getusermedia.insecure.enabled": true,
        // Nothing of Firefox's own may try to reach the real internet.
        "network.connectivity-service.enabled": false,
        "network.captive-portal-service.enabled": false,
        "network.trr.mode": 5,
      },
      timeout: 60_000,
    });
    return {
      browser,
      version: await browser.version(),
      close: async () => {
        await browser.close().catch(() => {});
        proxy.close();
        bridge.child.kill();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    proxy.close();
    bridge.child.kill();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
