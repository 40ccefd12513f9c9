// Runs once before the browser suite: says, in one line, why it is skipped.
import { INSTALL_HINT, chromiumPath } from "./chromium";

export default function setup(): void {
  if (!chromiumPath && process.env.CI !== "true") {
    console.log(`browser tests skipped: Chromium not found; ${INSTALL_HINT}`);
  }
}
