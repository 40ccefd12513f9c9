// `npm run bench`: Tincan under `wrangler dev` next to a bare Durable Object
// relay in the same `wrangler dev` (the yardstick every figure is a ratio
// to), with a plain Node `ws` relay as a further reference; then real calls
// in Chromium next to their floors, and a four-page mesh; and Tincan's
// PeerJS endpoint next to the reference peerjs-server. Rewrites
// docs/benchmarks.md. Every loop is bounded in count and time.
// `BENCH_ONLY=peerjs` runs the PeerJS section alone and only prints it;
// `BENCH_ONLY=network` runs the network lab alone (as root) and rewrites only
// its section of docs/benchmarks.md.
import { readFile, rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import type { Browser } from "playwright-core";
import { mintSharedSecret } from "../worker/turn/shared-secret.ts";
import { chromiumPath, launchChromium } from "../test/browser/support/chromium.ts";
import { startCoturn } from "../test/browser/support/coturn.ts";
import { startDelayProxy } from "./delay-proxy.ts";
import { describeMachine } from "./machine.ts";
import { writeNoiseVideo } from "./noise-video.ts";
import { measureNetwork } from "./network-lab.ts";
import { peerjsAlone } from "./peerjs-alone.ts";
import { networkSection, spliceNetworkSection } from "./report-network.ts";
import { measurePeerjs, type PeerjsFigures } from "./peerjs-runs.ts";
import { renderReport, type CallFigures, type ServerFigures } from "./report.ts";
import { directCall, tincanCall, type CallOptions } from "./scenarios/browser-calls.ts";
import { joins, type JoinResult } from "./scenarios/joins.ts";
import { latency, type LatencyResult } from "./scenarios/latency.ts";
import { load, type LoadResult } from "./scenarios/load.ts";
import { memory } from "./scenarios/memory.ts";
import { meshCall, type MeshRuns } from "./scenarios/mesh.ts";
import { startBenchDev, startNodeRelay, type BenchServer } from "./servers.ts";
import { spread } from "./stats.ts";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const CALLS = Number(process.env["BENCH_CALLS"] ?? 8);
const MESHES = Number(process.env["BENCH_MESHES"] ?? 1);
/** Runs of each network-lab figure. */
const NETWORK_RUNS = Number(process.env["BENCH_NETWORK_RUNS"] ?? 5);
const ONLY = process.env["BENCH_ONLY"];
if (ONLY !== undefined && ONLY !== "peerjs" && ONLY !== "network") {
  throw new Error(`BENCH_ONLY=${ONLY}: only "peerjs" and "network" are known`);
}
const REPORT = new URL("../docs/benchmarks.md", import.meta.url);
/** One way, page ↔ server, for the signaling-latency figure. */
const DELAY_MS = 25;
const started = Date.now();
const loads: number[] = [];

function step(text: string): void {
  loads.push(loadavg()[0]!);
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);
}

interface Runs {
  latency: LatencyResult[];
  joins: JoinResult[];
  /** At 5,000 signals a second offered: local workerd saturates, frames queue. */
  load: LoadResult[];
  /** At 2,000 a second: below saturation, where CPU per message is steady run to run. */
  steady: LoadResult[];
}

const emptyRuns = (): Runs => ({ latency: [], joins: [], load: [], steady: [] });
const LOAD = { rooms: 100, perRoom: 4, perPeer: 50, maxMs: 60_000 };

async function measureRun(server: BenchServer, runs: Runs, run: number, only?: "joins"): Promise<void> {
  step(`${server.name}: run ${run}/${RUNS}: joins`);
  runs.joins.push(await joins(server));
  if (only) return;
  step(`${server.name}: run ${run}/${RUNS}: latency`);
  runs.latency.push(await latency(server));
  step(`${server.name}: run ${run}/${RUNS}: load at 5,000/s`);
  runs.load.push(await load(server, { ...LOAD, ratePerSecond: 5_000 }));
  step(`${server.name}: run ${run}/${RUNS}: load at 2,000/s`);
  runs.steady.push(await load(server, { ...LOAD, ratePerSecond: 2_000 }));
}

function figures(name: string, runs: Runs, mem: Awaited<ReturnType<typeof memory>>): ServerFigures {
  const { latency: lat, joins: join, load: ld, steady } = runs;
  return {
    name,
    latency: {
      p50: spread(lat.map((r) => r.p50)),
      p99: spread(lat.map((r) => r.p99)),
      roundTrips: Math.min(...lat.map((r) => r.roundTrips)),
    },
    joins: {
      p50: spread(join.map((r) => r.p50)),
      p99: spread(join.map((r) => r.p99)),
      cpuPerJoinUs: spread(join.map((r) => r.cpuPerJoinUs)),
      joined: Math.min(...join.map((r) => r.joined)),
    },
    load: {
      sent: ld.reduce((n, r) => n + r.sent, 0),
      delivered: ld.reduce((n, r) => n + r.delivered, 0),
      p50: spread(ld.map((r) => r.p50)),
      cpuPerMessageUs: spread(ld.map((r) => r.cpuPerMessageUs)),
      perSecond: spread(ld.map((r) => r.delivered / r.seconds)),
      steadyCpuPerMessageUs: spread(steady.map((r) => r.cpuPerMessageUs)),
    },
    memory: mem,
  };
}

/** Memory on a server of its own, so what one measured leaves behind never flatters the other. */
async function memoryOf(kind: "tincan" | "bare"): Promise<Awaited<ReturnType<typeof memory>>> {
  const dev = await startBenchDev();
  try {
    step(`${dev[kind].name}: memory with 1,000 idle sockets (a fresh wrangler dev)`);
    return await memory(dev[kind]);
  } finally {
    await dev.stop();
  }
}

const machine = await describeMachine(chromiumPath);
step(`machine: ${machine.cores} cores, ${machine.cpu}, ${(machine.busyBefore * 100).toFixed(0)}% busy before the run`);

if (ONLY === "peerjs") {
  // One section is not the whole report: printed, and docs/benchmarks.md left alone.
  const section = await peerjsAlone(RUNS, step);
  step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (docs/benchmarks.md not rewritten)`);
  console.log(section);
  process.exit(0);
}

if (ONLY === "network") {
  // One section, spliced into the report the last full run wrote.
  const section = networkSection(await measureNetwork(NETWORK_RUNS, step), NETWORK_RUNS, machine.date);
  await writeFile(REPORT, spliceNetworkSection(await readFile(REPORT, "utf8"), section));
  step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s (the network section of docs/benchmarks.md rewritten)`);
  console.log(section);
  process.exit(0);
}

// ---- relaying: Tincan and the bare object in one wrangler dev -----------------
const tincanRuns = emptyRuns();
const memRuns = emptyRuns();
const bareRuns = emptyRuns();
let peerjs: PeerjsFigures;
const dev = await startBenchDev();
try {
  for (let run = 1; run <= RUNS; run++) {
    // Alternated, so whatever the first figure of a run pays (warm-up) hits all alike.
    const order = run % 2 === 1 ? [dev.tincan, dev.tincanMem, dev.bare] : [dev.bare, dev.tincanMem, dev.tincan];
    for (const server of order) {
      if (server === dev.tincanMem) await measureRun(server, memRuns, run, "joins");
      else await measureRun(server, server === dev.tincan ? tincanRuns : bareRuns, run);
    }
  }
  // The same wrangler dev: Tincan's PeerJS endpoint is the real Worker's, beside its rooms.
  peerjs = await measurePeerjs(dev.tincan, RUNS, step);
} finally {
  await dev.stop();
}
const memJoins = {
  p50: spread(memRuns.joins.map((r) => r.p50)),
  cpuPerJoinUs: spread(memRuns.joins.map((r) => r.cpuPerJoinUs)),
};
const tincanFigures = figures("Tincan", tincanRuns, await memoryOf("tincan"));
const bareFigures = figures("bare Durable Object", bareRuns, await memoryOf("bare"));

const relay = await startNodeRelay();
const relayRuns = emptyRuns();
let relayFigures: ServerFigures;
try {
  for (let run = 1; run <= RUNS; run++) await measureRun(relay, relayRuns, run);
  step(`${relay.name}: memory with 1,000 idle sockets`);
  relayFigures = figures(relay.name, relayRuns, await memory(relay));
} finally {
  await relay.stop();
}

// ---- calls in Chromium -----------------------------------------------------------
let calls: CallFigures | null = null;
const failedCalls: string[] = [];
const mesh: MeshRuns = { camera: { on: [], off: [] }, noise: { on: [], off: [] } };

async function repeat<T>(label: string, make: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 1; i <= CALLS; i++) {
    step(`Chromium: ${label} ${i}/${CALLS}`);
    try {
      results.push(await make());
    } catch (error) {
      // One call that never connects is reported, and tried once more; a second failure ends the run.
      console.log(`  that call failed (${String(error).split("\n")[0]}); trying it once more`);
      failedCalls.push(label);
      results.push(await make());
    }
  }
  return results;
}

async function runMeshes(browser: Browser, server: BenchServer, source: keyof MeshRuns): Promise<void> {
  for (let i = 1; i <= MESHES; i++) {
    for (const budgets of [true, false]) {
      step(`Chromium: four-page mesh (${source}) ${i}/${MESHES}, sender budgets ${budgets ? "on" : "off"}`);
      mesh[source][budgets ? "on" : "off"].push(await meshCall(browser, server, budgets));
    }
  }
}

if (chromiumPath) {
  const secret = `bench-${crypto.randomUUID()}`;
  // Dozens of relayed calls in a row: allocations outlive their pages for minutes.
  const coturn = await startCoturn({ secret, relayPorts: 2_000 });
  const stun = await startBenchDev();
  const turn = await startBenchDev({ TURN_URLS: coturn.url, TURN_SECRET: secret });
  const proxy = await startDelayProxy(stun.tincan.httpUrl, DELAY_MS);
  const browser = await launchChromium();
  try {
    const call = (base: string, options: CallOptions) => () => tincanCall(browser, base, options);
    const direct = { iceServers: [], relay: false };
    const together = await repeat(
      "Tincan, Join together",
      call(stun.tincan.httpUrl, { timing: "together", relay: false }),
    );
    const staggered = await repeat(
      "Tincan, second joins later",
      call(stun.tincan.httpUrl, { timing: "staggered", relay: false }),
    );
    const floor = await repeat("direct floor (no server)", () => directCall(browser, stun.tincan.httpUrl, direct));
    const relayTogether = await repeat(
      "Tincan relay-only, Join together",
      call(turn.tincan.httpUrl, { timing: "together", relay: true }),
    );
    const relayStaggered = await repeat(
      "Tincan relay-only, second joins later",
      call(turn.tincan.httpUrl, { timing: "staggered", relay: true }),
    );
    const relayFloor = await repeat("relay-only floor (no server)", async () => {
      const grant = await mintSharedSecret({
        secret,
        turnUrls: [coturn.url],
        stunUrls: [],
        ttlSeconds: 600,
        peerId: "floor",
        now: Date.now(),
      });
      return directCall(browser, stun.tincan.httpUrl, {
        iceServers: grant.iceServers.filter((s) => s.username),
        relay: true,
      });
    });
    const delayed = await repeat(
      `Tincan, second joins later, ${DELAY_MS} ms each way to the server`,
      call(stun.tincan.httpUrl, { timing: "staggered", relay: false, via: proxy.url }),
    );
    calls = {
      together,
      staggered,
      floor,
      relayTogether,
      relayStaggered,
      relayFloor,
      delayed,
      delayMs: DELAY_MS,
      failed: failedCalls,
    };
    await runMeshes(browser, stun.tincan, "camera");
  } finally {
    await browser.close();
    await proxy.stop();
    await turn.stop();
    await coturn.stop();
  }
  const noise = await writeNoiseVideo();
  const noisy = await launchChromium([`--use-file-for-fake-video-capture=${noise}`]);
  try {
    await runMeshes(noisy, stun.tincan, "noise");
  } finally {
    await noisy.close();
    await rm(noise, { force: true });
    await stun.stop();
  }
} else {
  console.log("Chromium not found: the call figures are skipped (apt-get install -y chromium)");
}

// ---- the network lab (as root) --------------------------------------------------------
const network = networkSection(await measureNetwork(NETWORK_RUNS, step), NETWORK_RUNS, machine.date);

const seconds = (Date.now() - started) / 1000;
step(`done in ${seconds.toFixed(0)} s`);
const report = renderReport({
  machine,
  runs: RUNS,
  tincan: tincanFigures,
  tincanMemJoins: memJoins,
  bare: bareFigures,
  node: relayFigures,
  calls,
  mesh: mesh.camera.on.length > 0 ? mesh : null,
  peerjs,
  network,
  loads,
  seconds,
});
await writeFile(REPORT, report);
console.log(report);
