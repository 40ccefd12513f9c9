// docs/benchmarks.md, written from one run's figures: every server figure
// as a ratio to the bare Durable Object in the same wrangler dev, every
// connect time as a ratio to its no-server floor, each against its goal.
import type { Machine } from "./machine.ts";
import { table } from "./markdown.ts";
import type { PeerjsFigures } from "./peerjs-runs.ts";
import { peerjsSection } from "./report-peerjs.ts";
import type { TincanCall } from "./scenarios/browser-calls.ts";
import type { MemoryResult } from "./scenarios/memory.ts";
import type { MeshFigures, MeshRuns } from "./scenarios/mesh.ts";
import { formatSpread, spread, type Spread } from "./stats.ts";

export interface ServerFigures {
  name: string;
  latency: { p50: Spread; p99: Spread; roundTrips: number };
  joins: { p50: Spread; p99: Spread; cpuPerJoinUs: Spread; joined: number };
  load: {
    sent: number;
    delivered: number;
    p50: Spread;
    cpuPerMessageUs: Spread;
    perSecond: Spread;
    /** At 2,000 a second, below saturation. */
    steadyCpuPerMessageUs: Spread;
  };
  memory: MemoryResult;
}

export interface CallFigures {
  together: TincanCall[];
  staggered: TincanCall[];
  floor: number[];
  relayTogether: TincanCall[];
  relayStaggered: TincanCall[];
  relayFloor: number[];
  /** Staggered calls with every frame between page and server held `delayMs` each way. */
  delayed: TincanCall[];
  delayMs: number;
  /** Calls that failed once and were tried again (by their figure). */
  failed: string[];
}

export interface ReportInput {
  machine: Machine;
  runs: number;
  tincan: ServerFigures;
  /** Tincan's joins with its per-address limiter answered in memory, as on Cloudflare. */
  tincanMemJoins: { p50: Spread; cpuPerJoinUs: Spread };
  bare: ServerFigures;
  node: ServerFigures;
  calls: CallFigures | null;
  mesh: MeshRuns | null;
  /** The PeerJS endpoint next to the reference peerjs-server. */
  peerjs: PeerjsFigures;
  /** The network lab's section, as written (./report-network.ts). */
  network: string;
  loads: number[];
  seconds: number;
}

const ms = (s: Spread, digits = 2) => formatSpread(s, digits, " ms");
const us = (s: Spread) => formatSpread(s, 0, " µs");

function noiseNote(input: ReportInput): string {
  const busy = input.machine.busyBefore;
  const peak = Math.max(...input.loads);
  const verdict =
    busy > 0.15
      ? `**Other work kept the machine ${(busy * 100).toFixed(0)}% busy just before the run: treat these figures as noisy.**`
      : `The machine was quiet before the run (${(busy * 100).toFixed(0)}% busy over 2 s).`;
  return `${verdict} Load average during the run peaked at ${peak.toFixed(2)} on ${input.machine.cores} cores: the benchmark's own clients, browser and servers share them.`;
}

/** `ratio (goal ≤ g: met | not met)` of two medians. */
function ratio(value: number, yardstick: number, goal: number): [string, string] {
  const r = value / yardstick;
  return [`${r.toFixed(2)}×`, `≤ ${goal}×: ${r <= goal ? "**met**" : "not met"}`];
}

/** The median time of each step over calls, for the later of the two pages to reach it. */
function stepMedians(calls: TincanCall[]): [string, number][] {
  const names = new Set(calls.flatMap((c) => [...Object.keys(c.steps[0]), ...Object.keys(c.steps[1])]));
  const rows: [string, number][] = [];
  for (const name of names) {
    const times = calls
      .map((c) => Math.max(c.steps[0][name] ?? -Infinity, c.steps[1][name] ?? -Infinity))
      .filter((t) => Number.isFinite(t));
    if (times.length === calls.length) rows.push([name, spread(times).median]);
  }
  return rows.sort((a, b) => a[1] - b[1]);
}

function relaySection(input: ReportInput, out: string[]): void {
  const { tincan: t, bare: b, node: n } = input;
  out.push("## Relaying: Tincan against a bare Durable Object", "");
  out.push(
    "Both in one `wrangler dev` (one workerd), measured alternately in the same run; the bare object (`bench/bare/relay.ts`) accepts a socket with its peer id as tag, `JSON.parse`s a frame, finds the addressee with `getWebSockets(to)` and sends: no checks, no limits, no storage, no resume, no TURN. The ratio is Tincan's median over the bare object's.",
    "",
  );
  const m = input.tincanMemJoins;
  const joinP50 = ratio(t.joins.p50.median, b.joins.p50.median, 1.3);
  const joinCpu = ratio(t.joins.cpuPerJoinUs.median, b.joins.cpuPerJoinUs.median, 1.3);
  const memP50 = ratio(m.p50.median, b.joins.p50.median, 1.3);
  const memCpu = ratio(m.cpuPerJoinUs.median, b.joins.cpuPerJoinUs.median, 1.3);
  const lat = ratio(t.latency.p50.median, b.latency.p50.median, 1.1);
  const steady = ratio(t.load.steadyCpuPerMessageUs.median, b.load.steadyCpuPerMessageUs.median, 1.15);
  const cpu = ratio(t.load.cpuPerMessageUs.median, b.load.cpuPerMessageUs.median, 1.15);
  const mem = ratio(t.memory.perSocketKiB, b.memory.perSocketKiB, 1.15);
  const joinLabel = `${t.joins.joined} sockets, 100 rooms, 50 in flight`;
  table(
    out,
    ["figure", "Tincan", "bare object", "ratio", "goal"],
    [
      [`joins: time to welcome p50 (${joinLabel})`, ms(t.joins.p50), ms(b.joins.p50), ...joinP50],
      ["joins: server CPU per join", us(t.joins.cpuPerJoinUs), us(b.joins.cpuPerJoinUs), ...joinCpu],
      ["joins, the limiter answered in memory: time to welcome p50", ms(m.p50), ms(b.joins.p50), ...memP50],
      [
        "joins, the limiter answered in memory: server CPU per join",
        us(m.cpuPerJoinUs),
        us(b.joins.cpuPerJoinUs),
        ...memCpu,
      ],
      [`relay: one-way latency p50 (${t.latency.roundTrips} ping-pongs)`, ms(t.latency.p50), ms(b.latency.p50), ...lat],
      [
        "relay: server CPU per message at 2,000 a second (100 rooms × 4, below saturation)",
        us(t.load.steadyCpuPerMessageUs),
        us(b.load.steadyCpuPerMessageUs),
        ...steady,
      ],
      [
        "relay: server CPU per message at 5,000 a second offered (saturated)",
        us(t.load.cpuPerMessageUs),
        us(b.load.cpuPerMessageUs),
        ...cpu,
      ],
      [
        `memory per idle socket (${t.memory.sockets} in 250 rooms, a fresh wrangler dev each)`,
        `${t.memory.perSocketKiB.toFixed(1)} KiB`,
        `${b.memory.perSocketKiB.toFixed(1)} KiB`,
        ...mem,
      ],
      ["joins: time to welcome p99", ms(t.joins.p99), ms(b.joins.p99), "", ""],
      ["relay: one-way latency p99", ms(t.latency.p99), ms(b.latency.p99), "", ""],
      [
        "relay at 5,000 a second offered: delivered per second (all runs: delivered / sent)",
        `${formatSpread(t.load.perSecond, 0)} (${t.load.delivered} / ${t.load.sent})`,
        `${formatSpread(b.load.perSecond, 0)} (${b.load.delivered} / ${b.load.sent})`,
        "",
        "",
      ],
    ],
  );
  out.push(
    "The joins are measured twice: as shipped, where `wrangler dev` answers the Rate Limiting binding with Miniflare's emulation (a Durable Object with a SQLite write, that every join in the process queues for), and with the binding answered in memory (`/api/mem/rooms`, `bench/bare/worker.ts`), as Cloudflare's edge counter does; every other line of those joins is Tincan's own.",
    "",
  );
  out.push("And a plain Node `ws` relay (`bench/node-relay.ts`), for reference: one process, no Durable Objects.", "");
  table(
    out,
    ["figure", "Node ws relay"],
    [
      ["joins: time to welcome p50", ms(n.joins.p50)],
      ["joins: server CPU per join", us(n.joins.cpuPerJoinUs)],
      ["relay: one-way latency p50", ms(n.latency.p50)],
      ["relay: server CPU per message", us(n.load.cpuPerMessageUs)],
      ["memory per idle socket", `${n.memory.perSocketKiB.toFixed(1)} KiB`],
    ],
  );
}

function callSection(calls: CallFigures, out: string[]): void {
  const med = (c: TincanCall[]) => spread(c.map((x) => x.ms));
  const floor = spread(calls.floor);
  const relayFloor = spread(calls.relayFloor);
  out.push(`## Calls in Chromium (${calls.together.length} calls each)`, "");
  out.push(
    "Connect time: both pages on the pre-join screen with camera and microphone open; from the (later) press of Join to both peer connections `connected`, by the pages' own clocks. The floor is the same two pages, the same media and data channels, their offer and answer handed over by the driver with no server at all.",
    "",
  );
  const row = (label: string, c: TincanCall[], f: Spread, goal: number) => [
    label,
    ms(med(c), 0),
    ms(f, 0),
    ...ratio(med(c).median, f.median, goal),
  ];
  table(
    out,
    ["call", "Tincan", "floor", "ratio", "goal"],
    [
      row("direct, the second person joins a second after the first", calls.staggered, floor, 1.15),
      row("direct, both press Join at once", calls.together, floor, 1.15),
      row("relay-only (both forced to TURN, a local coturn), staggered", calls.relayStaggered, relayFloor, 1.3),
      row("relay-only, both press Join at once", calls.relayTogether, relayFloor, 1.3),
    ],
  );
  if (calls.failed.length > 0) {
    out.push(`Calls that failed to connect once and were run again: ${calls.failed.join("; ")}.`, "");
  }
  const frames = spread(calls.together.map((c) => c.frames));
  const sent = spread(calls.together.map((c) => c.bytesSent));
  out.push(
    `Signaling for one two-peer call (audio, video, two data channels), Join → both connected: ${formatSpread(frames, 0, " frames")} in and out of the room; the pages sent ${formatSpread(sent, 0, " bytes")} (almost all of it the two SDPs). AppRTC takes 30–45 messages, about 10 kB (literature).`,
    "",
  );

  const rtt = calls.delayMs * 2;
  const delayed = med(calls.delayed).median;
  const k = (delayed - floor.median) / rtt;
  const marginal = (delayed - med(calls.staggered).median) / rtt;
  out.push(`### Signaling latency`, "");
  out.push(
    `The staggered direct call again, with every WebSocket frame between page and server held ${calls.delayMs} ms each way by a proxy (\`bench/delay-proxy.ts\`), as a server ${rtt} ms away would: ${ms(med(calls.delayed), 0)}. As floor + k × server round trip: **k = ${k.toFixed(2)}** (${delayed.toFixed(0)} ms = ${floor.median.toFixed(0)} ms + ${k.toFixed(2)} × ${rtt} ms); the round trips alone, against the undelayed call, are ${marginal.toFixed(2)} × ${rtt} ms. A relayed offer and answer cannot take fewer than 2 round trips after the newcomer learns who is there (½): 2.5 is the protocol's floor, plus ½ for the socket's own handshake through the proxy.`,
    "",
  );

  out.push("### Where the time goes", "");
  out.push(
    "Median time of each step after the later press of Join, for the later of the two pages to reach it (`bench/scenarios/browser-calls.ts` records them in the pages).",
    "",
  );
  const cases: [string, TincanCall[]][] = [
    ["direct, staggered", calls.staggered],
    ["direct, together", calls.together],
    ["relay-only, staggered", calls.relayStaggered],
    ["relay-only, together", calls.relayTogether],
  ];
  const steps = cases.map(([, c]) => new Map(stepMedians(c)));
  const names = [...new Set(steps.flatMap((m) => [...m.keys()]))].sort(
    (a, b) => (steps[0]!.get(a) ?? 1e9) - (steps[0]!.get(b) ?? 1e9),
  );
  table(
    out,
    ["step", ...cases.map(([label]) => label)],
    names.map((name) => [name, ...steps.map((m) => (m.has(name) ? `${m.get(name)!.toFixed(0)} ms` : ""))]),
  );
  const staggeredSteps = steps[0]!;
  const open = staggeredSteps.get("socket-open");
  const offer = staggeredSteps.get("local offer");
  const connected = staggeredSteps.get("connected");
  if (open !== undefined && offer !== undefined && connected !== undefined) {
    out.push(
      `Read for the staggered direct call: the newcomer's socket is open ${open.toFixed(0)} ms after the press (the join through wrangler dev's proxy, the Worker, the emulated limiter and the room), and its offer is set at ${offer.toFixed(0)} ms; from there to both connected takes ${(connected - offer).toFixed(0)} ms against the floor's ${floor.median.toFixed(0)} ms, which starts at its offer. So what Tincan adds to a direct call is the join itself and making the offer on a page that is building its call screen at the same moment; both pages doing that at once, on two cores shared with the browser's media, is what makes simultaneous joins slower. Relay-only calls wait for a TURN allocation either way, which hides most of it. The relay-only floor waits for its first relay candidate before handing a description over (a floor without relay candidates in its SDP is not a floor).`,
      "",
    );
  }
}

function meshSection(mesh: MeshRuns, out: string[]): void {
  const upload = (runs: MeshFigures[]) => spread(runs.flatMap((r) => r.uploadKbps));
  const fps = (runs: MeshFigures[]) => spread(runs.flatMap((r) => r.receivedFps));
  out.push(
    `## A four-page mesh in Chromium (${mesh.camera.on.length} run(s) of each; figures over the four pages)`,
    "",
  );
  const rows: string[][] = [];
  for (const [source, label] of [
    ["camera", "Chromium's fake camera"],
    ["noise", "a camera of pure noise (hardest to encode)"],
  ] as const) {
    const { on, off } = mesh[source];
    rows.push([
      `${label}: video uploaded per page, all three connections`,
      formatSpread(upload(on), 0, " kbit/s"),
      formatSpread(upload(off), 0, " kbit/s"),
    ]);
    rows.push([
      `${label}: frame rate received per video`,
      formatSpread(fps(on), 1, " fps"),
      formatSpread(fps(off), 1, " fps"),
    ]);
  }
  table(out, ["", "sender budgets on (default)", "budgets off (`?budget=off`)"], rows);
}

export function renderReport(input: ReportInput): string {
  const out: string[] = [];
  out.push("# Benchmarks", "");
  out.push(
    `Measured ${input.machine.date} with \`npm run bench\` (${input.runs} runs of each server figure; median with min–max in brackets). ` +
      `The whole run took ${input.seconds.toFixed(0)} s. This file is written by the benchmark itself (\`bench/report.ts\`).`,
    "",
  );
  out.push(
    `Machine: ${input.machine.cores} cores (${input.machine.cpu}), ${input.machine.memoryGiB} GiB; Node ${input.machine.node}, ` +
      `wrangler ${input.machine.wrangler}, ${input.machine.chromium}. Everything on 127.0.0.1, but for the network lab, in network namespaces of its own.`,
    "",
  );
  out.push(noiseNote(input), "");
  relaySection(input, out);
  peerjsSection(input.peerjs, out);
  if (input.calls) callSection(input.calls, out);
  if (input.mesh) meshSection(input.mesh, out);
  out.push(input.network, "");

  out.push("## What was measured", "");
  out.push(
    "- **Latency**: one room, two peers; one sends a ~300-byte `signal`, the other echoes it back, 2,000 times in sequence. One-way is half the round trip.",
    "- **Load**: 100 rooms × 4 peers; every peer sends 50 signals of about 300 bytes to a random room-mate, paced to 5,000 and to 2,000 signals a second in total. CPU is all of wrangler dev's processes' user+system time over the phase (from `/proc`), divided by the messages delivered. At 5,000 a second one local workerd saturates and frames queue, which makes CPU per message swing by ±20% run to run; at 2,000 it is steady within a few per cent, so the goal is read there.",
    "- **Joins**: 400 sockets into 100 rooms, 50 opening at a time; time from opening the socket to its `welcome`, and CPU as above divided by the joins.",
    "- **Memory**: resident set of workerd (or node, for the Node relay) on a fresh server, then with 1,000 idle sockets open.",
    "- **Mesh**: four pages in one Chromium join one room (each sends its camera to three peers); after 10 s to let bandwidth estimation settle, a 5 s window of `getStats`: each page's outgoing video bytes (payload, no headers) over all its connections, and the frames decoded per received video. The budgets cap a page with three peers at 3 × 700 kbit/s at 2/3 of the camera's size (docs/protocol.md, Sender budgets); without them each connection is left to the browser's own limits. Chromium's fake camera is a simple moving pattern that needs far less than either, so there the budgets only save the pixels they drop; the noise camera (a generated Y4M of fresh noise every frame, `bench/noise-video.ts`) makes every encoder spend all it may, which is where an uplink fills. Loopback has no bandwidth limit: on a real home uplink the uncapped page would be the one to congest.",
    "",
  );
  out.push("## Reading these numbers honestly", "");
  out.push(
    "- Everything runs under `wrangler dev`: the workerd that runs the Worker and its objects, a second workerd in front of it as a proxy, and wrangler's own Node process, all counted for CPU; memory is the first workerd's alone (before 2026-12-02 the benchmark read the proxy's by mistake). On Cloudflare each room is its own object near its users, and an idle, hibernated room costs no memory at all.",
    "- Tincan's per-address limits are Cloudflare's Rate Limiting binding; `wrangler dev` emulates it with a Durable Object of Miniflare's own (a SQLite write per call), so each Tincan join here pays a round trip that on Cloudflare is an in-memory counter at the edge. The bare object has no limiter. For the benchmark the budgets are lifted (all clients are 127.0.0.1), as are the frame budgets (`RATE_LIMIT_*`), and logs are at `warn`.",
    "- One local workerd process runs every room on one thread: under load, frames queue behind each other, so what the load figure compares is CPU per message and what gets through, not latency.",
    "- The benchmark's own clients run on the same 2 cores as the servers, so absolute latencies include their scheduling; compare the columns with each other, not with a network.",
    "",
  );
  out.push(
    "Run it yourself: `npm run bench` (needs Chromium and coturn for the call figures; `BENCH_RUNS`, `BENCH_CALLS` and `BENCH_MESHES` change the repetitions; `BENCH_ONLY=peerjs npm run bench` runs the PeerJS section alone and prints it, leaving this file as it is; `BENCH_ONLY=network npm run bench`, as root, runs the network lab alone and rewrites only its section, with `BENCH_NETWORK_RUNS` runs of each figure).",
    "",
  );
  return out.join("\n");
}
