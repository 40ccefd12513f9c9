// The PeerJS section's runs: Tincan's endpoint (in the bench's wrangler dev)
// and the reference peerjs-server (a Node process started here), measured
// alternately in the same run, summed up as median, min and max per figure.
import { readFileSync } from "node:fs";
import {
  peerjsProblem,
  startReferencePeerjs,
  tincanPeerjs,
  tincanPeerjsMem,
  type PeerjsServer,
} from "./peerjs-servers.ts";
import {
  peerjsJoins,
  peerjsLatency,
  peerjsLoad,
  type PeerjsJoinResult,
  type PeerjsLatencyResult,
  type PeerjsLoadOptions,
  type PeerjsLoadResult,
} from "./scenarios/peerjs.ts";
import { load as roomLoad, type LoadResult } from "./scenarios/load.ts";
import type { BenchServer } from "./servers.ts";
import { spread, type Spread } from "./stats.ts";

export interface PeerjsJoinFigures {
  p50: Spread;
  p99: Spread;
  cpuPerJoinUs: Spread;
  joined: number;
}

export interface PeerjsServerFigures {
  name: string;
  /** The WebSocket extensions its sockets agreed to ("" for none), every run's alike or listed. */
  extensions: string;
  joins: PeerjsJoinFigures;
  latency: { p50: Spread; p99: Spread; roundTrips: number };
  load: {
    /** Over all runs. */
    sent: number;
    delivered: number;
    unexpected: number;
    p50: Spread;
    p99: Spread;
    cpuPerMessageUs: Spread;
    perSecond: Spread;
  };
}

export interface PeerjsFigures {
  runs: number;
  /** The `peer` package's version. */
  referenceVersion: string;
  load: PeerjsLoadOptions;
  reference: PeerjsServerFigures;
  tincan: PeerjsServerFigures | null;
  /** Tincan's joins with the join budget answered in memory, as on Cloudflare. */
  tincanMemJoins: PeerjsJoinFigures | null;
  /**
   * Tincan's relay with every id sending to itself: each frame one object's
   * work, as a frame between two ids of one shard would be (the design not
   * taken: see the README's Choices).
   */
  tincanOneObject: {
    latency: { p50: Spread; p99: Spread };
    cpuPerMessageUs: Spread;
    /** A room signal's CPU at the same rate, same sockets: wrangler dev's cost per frame at this rate. */
    roomCpuPerMessageUs: Spread;
  } | null;
  /** Why Tincan has no figures: its endpoint not up, or failing part way. */
  tincanSkipped: string | null;
}

/**
 * 100 pairs at 500 frames a second for about 5 s: a steady load. A PeerJS
 * frame is two objects' work (the sender's, and the addressee's by RPC),
 * several times a room signal's CPU, so this is about the CPU the rooms'
 * steady 2,000 a second takes; one local workerd saturated at about 600 a
 * second when 1,000 were offered, and a saturated figure says how long the
 * queue grew, not what a frame costs.
 */
export const PEERJS_LOAD: PeerjsLoadOptions = { pairs: 100, perClient: 12, ratePerSecond: 500, maxMs: 30_000 };

interface Runs {
  joins: PeerjsJoinResult[];
  latency: PeerjsLatencyResult[];
  load: PeerjsLoadResult[];
  /** Tincan only: the same relay and load, each id to itself, and a room's signals at the same rate. */
  selfLatency: PeerjsLatencyResult[];
  selfLoad: PeerjsLoadResult[];
  roomLoad: LoadResult[];
}

async function measureRun(
  bench: BenchServer,
  server: PeerjsServer,
  runs: Runs,
  label: string,
  step: (text: string) => void,
  only?: "joins" | "one object",
) {
  if (only === "one object") {
    step(`${server.name} (PeerJS): ${label}: round trips and load, each id to itself (one object)`);
    runs.selfLatency.push(await peerjsLatency(server, { toSelf: true }));
    runs.selfLoad.push(await peerjsLoad(server, { ...PEERJS_LOAD, toSelf: true }));
    // The rooms' relay with as many sockets sending as many frames at the same rate.
    const { pairs, perClient, ratePerSecond, maxMs } = PEERJS_LOAD;
    runs.roomLoad.push(await roomLoad(bench, { rooms: pairs, perRoom: 2, perPeer: perClient, ratePerSecond, maxMs }));
    return;
  }
  step(`${server.name} (PeerJS): ${label}: joins`);
  runs.joins.push(await peerjsJoins(server));
  if (only) return;
  step(`${server.name} (PeerJS): ${label}: OFFER → ANSWER round trips`);
  runs.latency.push(await peerjsLatency(server));
  step(`${server.name} (PeerJS): ${label}: load at ${PEERJS_LOAD.ratePerSecond.toLocaleString("en")}/s`);
  const load = await peerjsLoad(server, PEERJS_LOAD);
  runs.load.push(load);
  // Said as it happens, so a short run shows at once whether everything got through, and
  // whether frames queued (a one-way p50 far above a round trip's is a saturated server).
  console.log(
    `  ${load.delivered} / ${load.sent} delivered in ${load.seconds.toFixed(1)} s, one way p50 ${load.p50.toFixed(2)} ms` +
      (load.unexpected > 0 ? `, ${load.unexpected} unexpected frames` : ""),
  );
}

function joinFigures(joins: PeerjsJoinResult[]): PeerjsJoinFigures {
  return {
    p50: spread(joins.map((r) => r.p50)),
    p99: spread(joins.map((r) => r.p99)),
    cpuPerJoinUs: spread(joins.map((r) => r.cpuPerJoinUs)),
    joined: Math.min(...joins.map((r) => r.joined)),
  };
}

function figures(name: string, runs: Runs): PeerjsServerFigures {
  const { joins, latency, load } = runs;
  const sum = (f: (r: PeerjsLoadResult) => number) => load.reduce((n, r) => n + f(r), 0);
  return {
    name,
    extensions: [...new Set(joins.map((r) => r.extensions))].join(" / "),
    joins: joinFigures(joins),
    latency: {
      p50: spread(latency.map((r) => r.p50)),
      p99: spread(latency.map((r) => r.p99)),
      roundTrips: Math.min(...latency.map((r) => r.roundTrips)),
    },
    load: {
      sent: sum((r) => r.sent),
      delivered: sum((r) => r.delivered),
      unexpected: sum((r) => r.unexpected),
      p50: spread(load.map((r) => r.p50)),
      p99: spread(load.map((r) => r.p99)),
      cpuPerMessageUs: spread(load.map((r) => r.cpuPerMessageUs)),
      perSecond: spread(load.map((r) => r.delivered / r.seconds)),
    },
  };
}

function referenceVersion(): string {
  const pkg = new URL("../node_modules/peer/package.json", import.meta.url);
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}

const emptyRuns = (): Runs => ({ joins: [], latency: [], load: [], selfLatency: [], selfLoad: [], roomLoad: [] });

/** Every figure `runs` times on each server; Tincan's endpoint is skipped, said why, when it is not up. */
export async function measurePeerjs(
  bench: BenchServer,
  runs: number,
  step: (text: string) => void,
): Promise<PeerjsFigures> {
  const tincan = tincanPeerjs(bench);
  const mem = tincanPeerjsMem(bench);
  const reference = await startReferencePeerjs();
  try {
    const referenceProblem = await peerjsProblem(reference);
    if (referenceProblem) throw new Error(`the reference peerjs-server is not answering: ${referenceProblem}`);
    let tincanSkipped = await peerjsProblem(tincan);
    if (tincanSkipped) {
      tincanSkipped = `Tincan's PeerJS endpoint is not up (${tincanSkipped})`;
      console.log(`PeerJS: ${tincanSkipped}: measuring peerjs-server alone`);
    }
    const tincanRuns = emptyRuns();
    const memRuns = emptyRuns();
    const referenceRuns = emptyRuns();
    for (let run = 1; run <= runs; run++) {
      const label = `run ${run}/${runs}`;
      // Alternated, so whatever the first figure of a run pays (warm-up) hits all alike.
      const order = run % 2 === 1 ? [tincan, mem, reference] : [reference, mem, tincan];
      for (const server of order) {
        if (server === reference) {
          await measureRun(bench, reference, referenceRuns, label, step);
          continue;
        }
        if (tincanSkipped) continue;
        try {
          if (server === mem) await measureRun(bench, mem, memRuns, label, step, "joins");
          else {
            await measureRun(bench, tincan, tincanRuns, label, step);
            await measureRun(bench, tincan, tincanRuns, label, step, "one object");
          }
        } catch (error) {
          // The endpoint is new: a failure of its own ends its figures, not the whole benchmark.
          tincanSkipped = `Tincan's PeerJS endpoint failed in ${label}: ${String(error).split("\n")[0]}`;
          console.log(`PeerJS: ${tincanSkipped}: measuring peerjs-server alone from here`);
        }
      }
    }
    return {
      runs,
      referenceVersion: referenceVersion(),
      load: PEERJS_LOAD,
      reference: figures(reference.name, referenceRuns),
      tincan: tincanSkipped ? null : figures(tincan.name, tincanRuns),
      tincanMemJoins: tincanSkipped ? null : joinFigures(memRuns.joins),
      tincanOneObject: tincanSkipped
        ? null
        : {
            latency: {
              p50: spread(tincanRuns.selfLatency.map((r) => r.p50)),
              p99: spread(tincanRuns.selfLatency.map((r) => r.p99)),
            },
            cpuPerMessageUs: spread(tincanRuns.selfLoad.map((r) => r.cpuPerMessageUs)),
            roomCpuPerMessageUs: spread(tincanRuns.roomLoad.map((r) => r.cpuPerMessageUs)),
          },
      tincanSkipped,
    };
  } finally {
    await reference.stop();
  }
}
