// `npm run bench`: Tincan under `wrangler dev` and a plain Node `ws` relay,
// measured in the same run on 127.0.0.1, then docs/benchmarks.md rewritten
// with the figures. Every loop is bounded in count and time.
import { rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import type { Browser } from "playwright-core";
import { chromiumPath, launchChromium } from "../test/browser/support/chromium.ts";
import { describeMachine } from "./machine.ts";
import { renderReport, type ServerFigures } from "./report.ts";
import { directCall, tincanCall } from "./scenarios/browser-calls.ts";
import { joins } from "./scenarios/joins.ts";
import { latency } from "./scenarios/latency.ts";
import { load } from "./scenarios/load.ts";
import { memory } from "./scenarios/memory.ts";
import { writeNoiseVideo } from "./noise-video.ts";
import { meshCall, type MeshRuns } from "./scenarios/mesh.ts";
import { startNodeRelay, startTincan, type BenchServer } from "./servers.ts";
import { spread } from "./stats.ts";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const CALLS = Number(process.env["BENCH_CALLS"] ?? 10);
const MESHES = Number(process.env["BENCH_MESHES"] ?? 1);
const started = Date.now();
const loads: number[] = [];

function step(text: string): void {
  loads.push(loadavg()[0]!);
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);
}

/** Four-page meshes from one camera source, budgets on and off, alternated so a slow stretch hits both alike. */
async function runMeshes(browser: Browser, source: keyof MeshRuns): Promise<void> {
  for (let i = 1; i <= MESHES; i++) {
    for (const budgets of [true, false]) {
      step(`Chromium: four-page mesh (${source}) ${i}/${MESHES}, sender budgets ${budgets ? "on" : "off"}`);
      mesh[source][budgets ? "on" : "off"].push(await meshCall(browser, tincan, budgets));
    }
  }
}

async function measure(server: BenchServer): Promise<ServerFigures> {
  step(`${server.name}: memory with 1,000 idle sockets`);
  const mem = await memory(server);
  const lat = [];
  const join = [];
  const ld = [];
  for (let run = 1; run <= RUNS; run++) {
    step(`${server.name}: run ${run}/${RUNS}: latency`);
    lat.push(await latency(server));
    step(`${server.name}: run ${run}/${RUNS}: joins`);
    join.push(await joins(server));
    step(`${server.name}: run ${run}/${RUNS}: load`);
    ld.push(await load(server));
  }
  return {
    name: server.name,
    latency: {
      p50: spread(lat.map((r) => r.p50)),
      p90: spread(lat.map((r) => r.p90)),
      p99: spread(lat.map((r) => r.p99)),
      roundTrips: Math.min(...lat.map((r) => r.roundTrips)),
    },
    joins: {
      p50: spread(join.map((r) => r.p50)),
      p99: spread(join.map((r) => r.p99)),
      joined: Math.min(...join.map((r) => r.joined)),
    },
    load: {
      sent: ld.reduce((n, r) => n + r.sent, 0),
      delivered: ld.reduce((n, r) => n + r.delivered, 0),
      p50: spread(ld.map((r) => r.p50)),
      p99: spread(ld.map((r) => r.p99)),
      cpuPerMessageUs: spread(ld.map((r) => r.cpuPerMessageUs)),
    },
    memory: mem,
  };
}

const machine = await describeMachine(chromiumPath);
step(`machine: ${machine.cores} cores, ${machine.cpu}, ${(machine.busyBefore * 100).toFixed(0)}% busy before the run`);

const tincan = await startTincan();
let tincanFigures: ServerFigures;
let calls: Awaited<ReturnType<typeof tincanCall>>[] = [];
let floor: number[] = [];
const mesh: MeshRuns = { camera: { on: [], off: [] }, noise: { on: [], off: [] } };
try {
  tincanFigures = await measure(tincan);
  if (chromiumPath) {
    const browser = await launchChromium();
    try {
      for (let i = 1; i <= CALLS; i++) {
        step(`Chromium: Tincan call ${i}/${CALLS}`);
        calls.push(await tincanCall(browser, tincan));
      }
      for (let i = 1; i <= CALLS; i++) {
        step(`Chromium: direct call ${i}/${CALLS} (no server)`);
        floor.push(await directCall(browser, tincan));
      }
      await runMeshes(browser, "camera");
    } finally {
      await browser.close();
    }
    const noise = await writeNoiseVideo();
    const noisy = await launchChromium([`--use-file-for-fake-video-capture=${noise}`]);
    try {
      await runMeshes(noisy, "noise");
    } finally {
      await noisy.close();
      await rm(noise, { force: true });
    }
  } else {
    console.log("Chromium not found: the call figures are skipped (apt-get install -y chromium)");
  }
} finally {
  await tincan.stop();
}

const relay = await startNodeRelay();
let relayFigures: ServerFigures;
try {
  relayFigures = await measure(relay);
} finally {
  await relay.stop();
}

const seconds = (Date.now() - started) / 1000;
step(`done in ${seconds.toFixed(0)} s`);
const report = renderReport({
  machine,
  runs: RUNS,
  servers: [tincanFigures, relayFigures],
  calls: calls.length > 0 ? { tincan: calls, floor } : null,
  mesh: mesh.camera.on.length > 0 ? mesh : null,
  loads,
  seconds,
});
await writeFile(new URL("../docs/benchmarks.md", import.meta.url), report);
console.log(report);
