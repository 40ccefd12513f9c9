// The lab's link delay (../delay/delay.c), compiled on first use with the
// C compiler and Debian's libnetfilter-queue-dev (which .ci/run installs).
// Rebuilt whenever the source is newer than the binary.
import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./run.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const SOURCE = join(ROOT, "test/network/delay/delay.c");
export const DELAY_TOOL = join(ROOT, "node_modules/.cache/tincan-netlab/delay");

/** What building the tool needs that this machine lacks, or null. */
export function delayToolMissing(): string | null {
  if (!existsSync("/usr/include/libnetfilter_queue/libnetfilter_queue.h")) {
    return "libnetfilter-queue-dev (`apt-get install -y libnetfilter-queue-dev`)";
  }
  return null;
}

/** The path of an up-to-date delay binary, built if needed. */
export async function buildDelayTool(): Promise<string> {
  const fresh = existsSync(DELAY_TOOL) && statSync(DELAY_TOOL).mtimeMs >= statSync(SOURCE).mtimeMs;
  if (fresh) return DELAY_TOOL;
  await mkdir(dirname(DELAY_TOOL), { recursive: true });
  const compiler = process.env["CC"] ?? "cc";
  await run(compiler, [
    "-O2",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-o",
    DELAY_TOOL,
    SOURCE,
    "-lnetfilter_queue",
    "-lnfnetlink",
  ]);
  return DELAY_TOOL;
}
