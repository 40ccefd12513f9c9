// Finding and launching Debian's Chromium for the browser suite (what to do
// when it is missing: ./suite.ts).
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/lib/chromium/chromium"];

export const chromiumPath: string | undefined = CANDIDATES.find(
  (path): path is string => path !== undefined && path !== "" && existsSync(path),
);

// From ../shared/e2e-recipe.md: fake camera and microphone, no permission
// prompts, and loopback ICE candidates (the only network here is loopback).
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
  "--autoplay-policy=no-user-gesture-required",
];

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium is not installed");
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    timeout: 30_000,
  });
}
