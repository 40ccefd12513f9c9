// Which browser suites can run here. A suite that needs a tool the machine
// lacks is skipped with one line saying how to install it (printed once by
// ./global-setup.ts), except in CI (CI=true), where it fails instead.
import { describe, it } from "vitest";
import { chromiumPath } from "./chromium.ts";
import { turnserverPath } from "./coturn.ts";
import { firefoxPath } from "./firefox.ts";

export interface Needs {
  coturn?: boolean;
  firefox?: boolean;
}

/** What is missing for browser tests on this machine, with how to install it. */
export function missingTools(needs: Needs = {}): string[] {
  const missing: string[] = [];
  if (!chromiumPath) missing.push("Chromium (`apt-get install -y chromium`, or set CHROMIUM_PATH)");
  if (needs.firefox && !firefoxPath) missing.push("Firefox (`apt-get install -y firefox-esr`, or set FIREFOX_PATH)");
  if (needs.coturn && !turnserverPath) missing.push("coturn (`apt-get install -y coturn`, or set TURNSERVER_PATH)");
  return missing;
}

/** describe() for suites that need Chromium and maybe Firefox and coturn. */
export function describeWithBrowsers(name: string, body: () => void, needs: Needs = {}): void {
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
  describe.skip(name, body);
}

/** The suites that only need Chromium (and maybe coturn). */
export function describeWithChromium(name: string, body: () => void, needs: Omit<Needs, "firefox"> = {}): void {
  describeWithBrowsers(name, body, needs);
}
