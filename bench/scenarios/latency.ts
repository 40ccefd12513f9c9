// One room, two peers, sequential ping-pongs through `signal`: one-way
// latency is half of each round trip.
import { BenchPeer, benchRoom } from "../client.ts";
import { percentile } from "../stats.ts";
import type { BenchServer } from "../servers.ts";

export interface LatencyResult {
  p50: number;
  p90: number;
  p99: number;
  roundTrips: number;
}

export async function latency(server: BenchServer, roundTrips = 2_000, maxMs = 60_000): Promise<LatencyResult> {
  const room = benchRoom("lat", 0);
  const { peer: a } = await BenchPeer.join(server.roomsUrl, room, "A");
  const { peer: b } = await BenchPeer.join(server.roomsUrl, room, "B");
  await a.next("peer-joined");
  b.onFrame = (frame) => {
    if (frame.type === "signal") b.signal(a.id, frame["data"]);
  };
  const oneWay: number[] = [];
  let resolveEcho: (() => void) | null = null;
  a.onFrame = (frame) => {
    if (frame.type === "signal") resolveEcho?.();
  };
  const deadline = Date.now() + maxMs;
  for (let i = 0; i < roundTrips && Date.now() < deadline; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("echo lost")), 5_000);
      resolveEcho = () => {
        clearTimeout(timer);
        resolve();
      };
      a.signal(b.id, { i, pad: "x".repeat(200) });
    });
    oneWay.push((performance.now() - started) / 2);
  }
  a.close();
  b.close();
  return {
    p50: percentile(oneWay, 50),
    p90: percentile(oneWay, 90),
    p99: percentile(oneWay, 99),
    roundTrips: oneWay.length,
  };
}
