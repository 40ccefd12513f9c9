// Many rooms at once: every peer sends signals of about 300 bytes to a
// random room-mate, paced to a fixed total rate. Everything sent must be
// delivered; we report latency and the server's CPU time per message.
import { sleep } from "../client.ts";
import { totalCpuMs } from "../proc.ts";
import { percentile } from "../stats.ts";
import type { BenchServer } from "../servers.ts";
import { openMany } from "./joins.ts";

export interface LoadResult {
  sent: number;
  delivered: number;
  p50: number;
  p99: number;
  /** Server CPU time per delivered message, µs. */
  cpuPerMessageUs: number;
  seconds: number;
}

export async function load(
  server: BenchServer,
  options = { rooms: 100, perRoom: 4, perPeer: 50, ratePerSecond: 5_000, maxMs: 60_000 },
): Promise<LoadResult> {
  const { peers } = await openMany(server, options.rooms * options.perRoom, options.rooms, 25, "load");
  const latencies: number[] = [];
  let delivered = 0;
  for (const room of peers) {
    for (const peer of room) {
      peer.onFrame = (frame, at) => {
        if (frame.type !== "signal") return;
        delivered += 1;
        latencies.push(at - (frame["data"] as { t: number }).t);
      };
    }
  }
  await sleep(500); // presence frames of the joins settle
  const all = peers.flatMap((room) => room.map((peer) => ({ peer, mates: room.filter((m) => m !== peer) })));
  const total = all.length * options.perPeer;
  const pad = "x".repeat(240); // with the envelope, about 300 bytes a frame
  const cpuBefore = totalCpuMs(server.cpuPids());
  const started = performance.now();
  let sent = 0;
  const tickMs = 10;
  const perTick = Math.round((options.ratePerSecond * tickMs) / 1000);
  while (sent < total && performance.now() - started < options.maxMs) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / tickMs + 1) * perTick));
    for (; sent < due; sent++) {
      const { peer, mates } = all[sent % all.length]!;
      const to = mates[Math.floor(Math.random() * mates.length)]!;
      peer.signal(to.id, { t: performance.now(), n: sent, pad });
    }
    await sleep(tickMs);
  }
  const drainDeadline = Date.now() + 30_000;
  while (delivered < sent && Date.now() < drainDeadline) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  const cpu = totalCpuMs(server.cpuPids()) - cpuBefore;
  for (const { peer } of all) peer.close();
  return {
    sent,
    delivered,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPerMessageUs: (cpu * 1000) / Math.max(1, delivered),
    seconds,
  };
}
