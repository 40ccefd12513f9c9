// What the numbers were measured on.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  wrangler: string;
  chromium: string;
  loadBefore: number;
  /** Share of all cores busy with other work in the 2 s before the run. */
  busyBefore: number;
}

function cpuTimes(): { idle: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3]! + line[4]!;
  return { idle, total: line.reduce((a, b) => a + b, 0) };
}

/** How busy the machine is right now, 0 to 1, over `ms`. */
export async function busyShare(ms = 2_000): Promise<number> {
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  return 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")
      .at(-1)!;
  } catch {
    return "unknown";
  }
}

export async function describeMachine(chromiumPath: string | undefined): Promise<Machine> {
  const pkg = JSON.parse(readFileSync(new URL("../node_modules/wrangler/package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    wrangler: pkg.version,
    chromium: chromiumPath ? version(chromiumPath, ["--version"]) : "not installed",
    loadBefore: loadavg()[0]!,
    busyBefore: await busyShare(),
  };
}
