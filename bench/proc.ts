// CPU time and resident memory of server processes, read from /proc (Linux).
import { readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) of one process, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of one process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return Number(kib ?? 0) * 1024;
}

/** Every process in the process group `pgid`. */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export function totalCpuMs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuMs(pid);
    } catch {
      // Gone.
    }
  }
  return total;
}

/**
 * The workerd in `pgid`'s group that runs the Worker and its objects.
 * `wrangler dev` runs two: a proxy that listens on the dev port and passes
 * every request on, and the runtime, which listens on a port of its own;
 * the proxy is the older, so "the first workerd" finds the wrong one.
 */
export function findRuntimeWorkerd(pgid: number, devPort: number): number | null {
  for (const pid of groupPids(pgid)) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!args[0]?.endsWith("/workerd")) continue;
      if (!args.some((arg) => arg === `--socket-addr=entry=127.0.0.1:${devPort}`)) return pid;
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}
