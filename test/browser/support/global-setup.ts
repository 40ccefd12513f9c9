// Runs once before the browser suite: says, in one line, what is skipped and why.
import { missingTools } from "./suite.ts";

export default function setup(): void {
  const missing = missingTools({ coturn: true, firefox: true });
  if (missing.length > 0 && process.env.CI !== "true") {
    console.log(`browser tests skipped where they need ${missing.join(" and ")}: install to run them`);
  }
}
