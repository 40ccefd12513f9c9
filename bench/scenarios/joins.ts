// Sockets joining rooms: time from opening the socket to its welcome.
import { BenchPeer, benchRoom } from "../client.ts";
import { totalCpuMs } from "../proc.ts";
import { percentile } from "../stats.ts";
import type { BenchServer } from "../servers.ts";

export interface JoinResult {
  p50: number;
  p99: number;
  joined: number;
  /** Server CPU time per join (all of wrangler dev's processes), µs. */
  cpuPerJoinUs: number;
}

/** Opens `sockets` sockets across `rooms` rooms, `concurrency` at a time; returns them open. */
export async function openMany(
  server: BenchServer,
  sockets: number,
  rooms: number,
  concurrency: number,
  prefix: string,
): Promise<{ peers: BenchPeer[][]; times: number[] }> {
  const names = Array.from({ length: rooms }, (_, i) => benchRoom(prefix, i));
  const peers: BenchPeer[][] = names.map(() => []);
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sockets) {
      const i = next++;
      const { peer, ms } = await BenchPeer.join(server.roomsUrl, names[i % rooms]!, `p${i}`);
      peer.onFrame = () => {}; // idle: presence frames are not kept
      peers[i % rooms]!.push(peer);
      times.push(ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { peers, times };
}

/** Sockets into rooms, 50 at a time: time from opening the socket to its welcome, and the server's CPU. */
export async function joins(server: BenchServer, sockets = 400, rooms = 100, inFlight = 50): Promise<JoinResult> {
  const cpuBefore = totalCpuMs(server.cpuPids());
  const { peers, times } = await openMany(server, sockets, rooms, inFlight, "join");
  const cpuMs = totalCpuMs(server.cpuPids()) - cpuBefore;
  for (const peer of peers.flat()) peer.close();
  await new Promise((resolve) => setTimeout(resolve, 500)); // the closes settle before the next figure
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    joined: times.length,
    cpuPerJoinUs: (cpuMs * 1000) / Math.max(1, times.length),
  };
}
