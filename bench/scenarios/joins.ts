// Sockets joining rooms: time from opening the socket to its welcome.
import { BenchPeer, benchRoom } from "../client.ts";
import { percentile } from "../stats.ts";
import type { BenchServer } from "../servers.ts";

export interface JoinResult {
  p50: number;
  p99: number;
  joined: number;
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
      const { peer, ms } = await BenchPeer.join(server.wsUrl, names[i % rooms]!, `p${i}`);
      peer.onFrame = () => {}; // idle: presence frames are not kept
      peers[i % rooms]!.push(peer);
      times.push(ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { peers, times };
}

export async function joins(server: BenchServer, sockets = 400, rooms = 100): Promise<JoinResult> {
  const { peers, times } = await openMany(server, sockets, rooms, 20, "join");
  for (const peer of peers.flat()) peer.close();
  return { p50: percentile(times, 50), p99: percentile(times, 99), joined: times.length };
}
