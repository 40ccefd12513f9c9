// Finding and launching Debian's Chromium for the browser suite. Without it
// the suite is skipped with one line saying how to install it, except in CI
// (CI=true), where a missing browser fails the run.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { describe, it } from "vitest";
import { turnserverPath } from "./coturn.ts";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/lib/chromium/chromium"];

export const chromiumPath: string | undefined = CANDIDATES.find(
  (path): path is string => path !== undefined && path !== "" && existsSync(path),
);

// From ../shared/e2e-recipe.md: fake camera and microphone, no permission
// prompts, and loopback ICE candidates (the only network here is loopback).
const FLAGS = [
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
    args: [...FLAGS, ...extraArgs],
    timeout: 30_000,
  });
}

/** What is missing for browser tests on this machine, with how to install it. */
export function missingTools(needs: { coturn?: boolean } = {}): string[] {
  const missing: string[] = [];
  if (!chromiumPath) missing.push("Chromium (`apt-get install -y chromium`, or set CHROMIUM_PATH)");
  if (needs.coturn && !turnserverPath) missing.push("coturn (`apt-get install -y coturn`, or set TURNSERVER_PATH)");
  return missing;
}

/**
 * describe() for suites that need Chromium (and maybe coturn): skipped when
 * they are missing, failed instead when CI=true.
 */
export function describeWithChromium(name: string, body: () => void, needs: { coturn?: boolean } = {}): void {
  const missing = missingTools(needs);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("has the tools it needs", () => {
        throw new Error(`CI must run the browser suite, but this machine lacks ${missing.join(" and ")}`);
      });
    });
    return;
  }
  // The one line explaining the skip is printed once by ./global-setup.ts.
  describe.skip(name, body);
}
