// Runs once before the browser suite: says, in one line, what is skipped and
// why, and builds the site once for every `wrangler dev` the suite starts.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { missingTools } from "./suite.ts";

export default function setup(): void {
  const missing = missingTools({ coturn: true, firefox: true });
  if (missing.length > 0 && process.env.CI !== "true") {
    console.log(`browser tests skipped where they need ${missing.join(" and ")}: install to run them`);
  }
  // One build here instead of one in each `wrangler dev` (its [build] step
  // and watch cost about a second per server, and the suite starts a dozen).
  // Built here rather than trusted from `npm test`, so one file run alone
  // never serves a stale site. The servers read the flag (./dev-server.ts);
  // the test workers inherit it.
  execFileSync(process.execPath, [fileURLToPath(new URL("../../../site/build.ts", import.meta.url))], {
    stdio: "inherit",
  });
  process.env["TINCAN_SITE_PREBUILT"] = "1";
}
