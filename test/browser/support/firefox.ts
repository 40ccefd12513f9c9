// Finding and launching Debian's Firefox ESR for the cross-engine suite,
// driven by puppeteer-core over WebDriver BiDi. Preferences from
// ../shared/e2e-recipe.md: fake camera and microphone without prompts,
// loopback ICE candidates with real addresses, autoplay allowed.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

const CANDIDATES = [process.env.FIREFOX_PATH, "/usr/bin/firefox-esr", "/usr/bin/firefox"];

export const firefoxPath: string | undefined = CANDIDATES.find(
  (path): path is string => path !== undefined && path !== "" && existsSync(path),
);

export const FIREFOX_PREFS = {
  "media.navigator.streams.fake": true,
  "media.navigator.permission.disabled": true,
  // The only network here is loopback: gather on it, with real addresses (no mDNS names).
  "media.peerconnection.ice.loopback": true,
  "media.peerconnection.ice.obfuscate_host_addresses": false,
  "media.peerconnection.ice.default_address_only": false,
  "media.autoplay.default": 0,
  "media.autoplay.blocking_policy": 0,
  // Several pages at once: none of them may be throttled as a background tab.
  "dom.min_background_timeout_value": 4,
  "dom.timeout.enable_budget_timer_throttling": false,
  "media.block-autoplay-until-in-foreground": false,
};

export interface Firefox {
  browser: Browser;
  version: string;
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<Firefox> {
  if (!firefoxPath) throw new Error("Firefox is not installed");
  // A fresh profile per run, removed afterwards.
  const profile = await mkdtemp(join(tmpdir(), "tincan-firefox-"));
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: firefoxPath,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: FIREFOX_PREFS,
    timeout: 60_000,
  });
  return {
    browser,
    version: await browser.version(),
    close: async () => {
      await browser.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}
