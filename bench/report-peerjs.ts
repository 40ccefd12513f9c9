// The report's "PeerJS endpoint" section: Tincan's endpoint against the
// reference peerjs-server, each figure a ratio of the two medians, with the
// absolute figures and their spreads, and what a local run cannot say.
import { table } from "./markdown.ts";
import type { PeerjsFigures, PeerjsServerFigures } from "./peerjs-runs.ts";
import { formatSpread, type Spread } from "./stats.ts";

const ms = (s: Spread) => formatSpread(s, 2, " ms");
const us = (s: Spread) => formatSpread(s, 0, " µs");
const perSecond = (f: PeerjsServerFigures) =>
  `${formatSpread(f.load.perSecond, 0)} (${f.load.delivered} / ${f.load.sent})` +
  (f.load.unexpected > 0 ? `, ${f.load.unexpected} unexpected frames` : "");

interface Row {
  label: string;
  tincan: Spread | null;
  reference: Spread;
  format: (s: Spread) => string;
  /** Tincan's figure against the reference's ordinary one: no line when Tincan was not measured. */
  tincanOnly?: true;
}

/** Each figure of both servers (Tincan's null when it was not measured), in the table's order. */
function figureRows(figures: PeerjsFigures): Row[] {
  const t = figures.tincan;
  const m = figures.tincanMemJoins;
  const r = figures.reference;
  const { pairs, perClient, ratePerSecond } = figures.load;
  const load = `${pairs} pairs, ${(pairs * 2 * perClient).toLocaleString("en")} frames at ${ratePerSecond.toLocaleString("en")} a second`;
  const row = (label: string, pick: (f: PeerjsServerFigures) => Spread, format: (s: Spread) => string): Row => ({
    label,
    tincan: t ? pick(t) : null,
    reference: pick(r),
    format,
  });
  return [
    row(`joins: socket opened → OPEN, p50 (${r.joins.joined} fresh ids, 50 opening at a time)`, (f) => f.joins.p50, ms),
    row("joins: socket opened → OPEN, p99", (f) => f.joins.p99, ms),
    row("joins: server CPU per join", (f) => f.joins.cpuPerJoinUs, us),
    {
      label: "joins, the limiter answered in memory: socket opened → OPEN, p50",
      tincan: m?.p50 ?? null,
      tincanOnly: true,
      reference: r.joins.p50,
      format: ms,
    },
    {
      label: "joins, the limiter answered in memory: server CPU per join",
      tincan: m?.cpuPerJoinUs ?? null,
      tincanOnly: true,
      reference: r.joins.cpuPerJoinUs,
      format: us,
    },
    row(`relay: round trip A → B → A, p50 (${r.latency.roundTrips} in sequence)`, (f) => f.latency.p50, ms),
    row("relay: round trip, p99", (f) => f.latency.p99, ms),
    row(`load: server CPU per delivered frame (${load})`, (f) => f.load.cpuPerMessageUs, us),
    row("load: one way, sent → received, p50", (f) => f.load.p50, ms),
    row("load: one way, p99", (f) => f.load.p99, ms),
  ];
}

function figuresTable(figures: PeerjsFigures, out: string[]): void {
  const rows = figureRows(figures);
  const delivered = "load: delivered per second (all runs: delivered / sent)";
  if (!figures.tincan) {
    const cells = rows.filter((row) => !row.tincanOnly);
    table(
      out,
      ["figure", "peerjs-server"],
      [...cells.map((row) => [row.label, row.format(row.reference)]), [delivered, perSecond(figures.reference)]],
    );
    return;
  }
  table(
    out,
    ["figure", "Tincan", "peerjs-server", "ratio"],
    [
      ...rows.map((row) => [
        row.label,
        row.tincan ? row.format(row.tincan) : "n/a",
        row.format(row.reference),
        row.tincan ? `${(row.tincan.median / row.reference.median).toFixed(2)}×` : "",
      ]),
      [delivered, perSecond(figures.tincan), perSecond(figures.reference), ""],
    ],
  );
}

/** What each server's sockets agreed to: compression costs CPU, so a difference is part of what the CPU lines say. */
function compression(figures: PeerjsFigures): string {
  const said = (f: PeerjsServerFigures) =>
    f.extensions ? `${f.name}'s sockets agreed to \`${f.extensions}\`` : `${f.name}'s sockets agreed to no extension`;
  const both = figures.tincan ? [figures.tincan, figures.reference] : [figures.reference];
  return `The clients offer \`permessage-deflate\`, as browsers do: ${both.map(said).join("; ")} (peerjs-server's \`ws\` server compresses nothing by default). Where one side compresses and the other does not, its CPU lines include compressing and inflating every frame; whether Cloudflare's edge agrees to the same is not something a local run shows.`;
}

/**
 * One object per id against what shards would save: the same relay with
 * each id sending to itself is a frame handled in one object, as a frame
 * between two ids of one shard would be.
 */
function oneObjectTable(figures: PeerjsFigures, out: string[]): void {
  const t = figures.tincan;
  const one = figures.tincanOneObject;
  if (!t || !one) return;
  out.push(
    "### One object per id, or shards",
    "",
    "The same relay and load in the same `wrangler dev`, once as above (each frame handled by the sender's object and, by RPC, the addressee's) and once with every id sending to itself (each frame handled by one object, as a frame between two ids that share a shard would be). With ids spread over N shards, a frame stays in its shard for 1 pair in N; the other N − 1 in N pay the RPC hop as they do here.",
    "",
  );
  const ratio = (a: Spread, b: Spread) => `${(a.median / b.median).toFixed(2)}×`;
  table(
    out,
    ["figure", "two objects (as shipped)", "one object", "ratio"],
    [
      ["relay: round trip, p50", ms(t.latency.p50), ms(one.latency.p50), ratio(t.latency.p50, one.latency.p50)],
      ["relay: round trip, p99", ms(t.latency.p99), ms(one.latency.p99), ratio(t.latency.p99, one.latency.p99)],
      [
        "load: server CPU per delivered frame",
        us(t.load.cpuPerMessageUs),
        us(one.cpuPerMessageUs),
        ratio(t.load.cpuPerMessageUs, one.cpuPerMessageUs),
      ],
      ["a room's signal at the same rate, for comparison: server CPU", "", us(one.roomCpuPerMessageUs), ""],
    ],
  );
  out.push(
    "At this rate most of a frame's CPU is what `wrangler dev` spends on any frame, as the room's signal shows; what the second object adds is the RPC hop. On Cloudflare each object can run on a machine of its own, so per-id objects spread a load that one shard's single thread would queue; locally everything shares one workerd thread.",
    "",
  );
}

/** The section, appended to `out`; also what `BENCH_ONLY=peerjs` prints. */
export function peerjsSection(figures: PeerjsFigures, out: string[]): void {
  out.push("## PeerJS endpoint", "");
  out.push(
    `Tincan's PeerJS endpoint (\`worker/peerjs/\`: one Durable Object per PeerJS id, a frame for another id forwarded to that id's object by RPC) in the benchmark's \`wrangler dev\`, beside the rooms, next to the reference peerjs-server (the \`peer\` package ${figures.referenceVersion}, \`bench/peerjs-server.ts\`) in a Node process of its own; both at path \`/peerjs\`, key \`peerjs\`, measured alternately in the same run (${figures.runs} run${figures.runs === 1 ? "" : "s"} each), by Node \`ws\` clients speaking the PeerJS protocol (\`bench/peerjs-client.ts\`, heartbeats every 5 s as the peerjs client sends them); no browsers, no WebRTC. The ratio is Tincan's median over peerjs-server's: below 1× Tincan is the faster or the cheaper.`,
    "",
  );
  if (figures.tincanSkipped) out.push(`**Tincan was not measured.** ${figures.tincanSkipped}.`, "");
  figuresTable(figures, out);
  out.push(
    "- **Joins**: 400 sockets, each a fresh id with a fresh token, 50 opening at a time; from opening the socket (its handshake included) to the server's `OPEN` frame. CPU is the server's user+system time over the phase (from `/proc`), divided by the joins.",
    "- **Relay**: two ids, A and B; A sends B an `OFFER` and waits for B's `ANSWER`, then a `CANDIDATE` and waits for B's `CANDIDATE` back, alternately, one at a time: each figure is a whole round trip, two frames relayed (one way is about half). Every frame is about 300 bytes (a trickled ICE candidate's size; real SDPs are some kB) and is checked to arrive with the right `src`, `dst` and payload.",
    `- **Load**: ${figures.load.pairs} pairs of ids; every client sends ${figures.load.perClient} \`CANDIDATE\` frames to its partner, paced to ${figures.load.ratePerSecond.toLocaleString("en")} a second in total, then everything sent is waited for (30 s at most). CPU as above over the phase, divided by the frames delivered; one way from each frame's send time to its arrival (one process, one clock).`,
    "",
  );
  oneObjectTable(figures, out);
  out.push(
    "What this says and does not say about Cloudflare:",
    "",
    "- Tincan's CPU is all of `wrangler dev`'s processes: the workerd running the Worker and its objects, a second workerd that `wrangler dev` runs in front of it as a proxy (the smaller share), and wrangler's Node process (next to nothing); Cloudflare has no such proxy. peerjs-server's is its one Node process (Express and `ws`). Neither figure is what Cloudflare would bill: it meters each object's own CPU time, and the duration of objects that are not hibernating.",
    "- Here both ids' objects are in one workerd process on one thread, so a forwarded frame is an in-process RPC. On Cloudflare each id's object is created near the client that first connects it, so two clients far apart have objects far apart, and a frame between them crosses that distance: the local round trip is a floor, not a forecast. peerjs-server relays with a lookup in one process's memory, which is also its limit: every client of the server is in that one process, in one place.",
    "- Each Tincan join creates an object (SQLite-backed, as on Cloudflare; here each object's database is a file on the local disk) and passes the Rate Limiting binding, which `wrangler dev` emulates with a Durable Object of Miniflare's that every join in the process queues for. So the joins are measured twice, as shipped and with the binding answered in memory (`/api/mem/peerjs`, `bench/bare/worker.ts`), as Cloudflare's edge counter does; every other line of those joins is Tincan's own. On Cloudflare the first connection of an id also pays for placing its object, which a local run cannot show, and a returning id may find its object evicted and pay a cold start.",
    "- Idle cost is not measured here: Tincan's idle sockets hibernate (no memory, no duration billed) and their heartbeats are answered without waking an object, whereas every peerjs-server socket holds memory in its process for as long as it is open.",
    `- ${compression(figures)}`,
    "- The benchmark's clients share the machine's cores with both servers: compare the columns with each other, not with a network.",
    "",
  );
}
