// The two servers under test, each a process whose CPU and memory we read:
// `wrangler dev` of the real Worker (measured: its workerd process) and the
// plain Node relay.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startDevServer } from "../test/browser/support/dev-server.ts";
import { findInGroup, groupPids } from "./proc.ts";

export interface BenchServer {
  name: string;
  /** ws:// base, e.g. ws://127.0.0.1:8787 */
  wsUrl: string;
  httpUrl: string;
  /** The process doing the relaying (its memory is what we report). */
  pid: number;
  /** Every process serving requests (their CPU is what we report). */
  cpuPids(): number[];
  stop(): Promise<void>;
}

// The benchmark measures relaying, not the abuse limits: lift them, and log
// warnings only (as a busy production room would be configured).
const BENCH_VARS = {
  RATE_LIMIT_PER_SECOND: "100000",
  RATE_LIMIT_BURST: "100000",
  JOIN_LIMIT_PER_MINUTE: "1000000",
  LOG_LEVEL: "warn",
};

export async function startTincan(): Promise<BenchServer> {
  const dev = await startDevServer(BENCH_VARS);
  const pid = dev.pid === undefined ? null : findInGroup(dev.pid, "workerd");
  if (pid === null) {
    await dev.stop();
    throw new Error("could not find the workerd process of wrangler dev");
  }
  const group = dev.pid;
  return {
    name: "Tincan (wrangler dev)",
    wsUrl: dev.url.replace("http", "ws"),
    httpUrl: dev.url,
    pid,
    // workerd does the work; wrangler's own Node process sits in front of it in dev.
    cpuPids: () => groupPids(group!),
    stop: dev.stop,
  };
}

export async function startNodeRelay(): Promise<BenchServer> {
  const script = fileURLToPath(new URL("./node-relay.ts", import.meta.url));
  const child = spawn(process.execPath, [script, "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("node relay did not start")), 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name: "Node ws relay",
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    cpuPids: () => [child.pid!],
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
