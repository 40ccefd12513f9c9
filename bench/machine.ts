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

export function describeMachine(chromiumPath: string | undefined): Machine {
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
  };
}
