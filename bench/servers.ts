// The servers under test, each a process whose CPU and memory we read:
// `wrangler dev` of the real Worker (measured: its workerd process) with
// the bare Durable Object relay beside it, and the plain Node relay.
import { startDevServer } from "../test/browser/support/dev-server.ts";
import { startChildServer } from "./child-server.ts";
import { findRuntimeWorkerd, groupPids } from "./proc.ts";

export interface BenchServer {
  name: string;
  /** Where room sockets are, e.g. ws://127.0.0.1:8787/api/rooms (a room's is `${roomsUrl}/${room}/ws`). */
  roomsUrl: string;
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
  LOG_LEVEL: "warn",
};

/** The bare relay's binding and migration, added to wrangler.toml for the benchmark only. */
const BARE_TOML = `
[[durable_objects.bindings]]
name = "BARE"
class_name = "BareRoom"

[[migrations]]
tag = "bench-bare"
new_sqlite_classes = ["BareRoom"]
`;

export interface BenchDev {
  /** Tincan's rooms. */
  tincan: BenchServer;
  /** The same rooms, their per-address limiter answered in memory (bench/bare/worker.ts). */
  tincanMem: BenchServer;
  /** The bare Durable Object relay in the same workerd (bench/bare). */
  bare: BenchServer;
  stop(): Promise<void>;
}

/**
 * One `wrangler dev` serving both Tincan and the bare relay: the same
 * runtime, the same process, so each figure can be a ratio of the two.
 * `vars` are added to the benchmark's own (TURN for the relay-only calls).
 */
export async function startBenchDev(vars: Record<string, string> = {}): Promise<BenchDev> {
  const dev = await startDevServer(
    { ...BENCH_VARS, ...vars },
    { config: { main: "bench/bare/worker.ts", extra: BARE_TOML } },
  );
  const pid = dev.pid === undefined ? null : findRuntimeWorkerd(dev.pid, dev.port);
  if (pid === null) {
    await dev.stop();
    throw new Error("could not find the workerd process of wrangler dev");
  }
  const group = dev.pid!;
  // The runtime workerd does the work (its memory is what we report); a
  // proxy workerd sits in front of it in dev; CPU is counted for all of them.
  const server = (name: string, path: string): BenchServer => ({
    name,
    roomsUrl: `${dev.url.replace("http", "ws")}${path}`,
    httpUrl: dev.url,
    pid,
    cpuPids: () => groupPids(group),
    stop: dev.stop,
  });
  return {
    tincan: server("Tincan", "/api/rooms"),
    tincanMem: server("Tincan, limiter in memory", "/api/mem/rooms"),
    bare: server("bare Durable Object", "/api/bare/rooms"),
    stop: dev.stop,
  };
}

export async function startNodeRelay(): Promise<BenchServer> {
  const child = await startChildServer("./node-relay.ts");
  return {
    name: "Node ws relay",
    roomsUrl: `ws://127.0.0.1:${child.port}/api/rooms`,
    httpUrl: `http://127.0.0.1:${child.port}`,
    pid: child.pid,
    cpuPids: () => [child.pid],
    stop: child.stop,
  };
}
