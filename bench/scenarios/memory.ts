// Resident memory of the server idle, and holding many idle sockets.
import { sleep } from "../client.ts";
import { rssBytes } from "../proc.ts";
import type { BenchServer } from "../servers.ts";
import { openMany } from "./joins.ts";

export interface MemoryResult {
  idleMiB: number;
  loadedMiB: number;
  perSocketKiB: number;
  sockets: number;
}

export async function memory(server: BenchServer, sockets = 1_000, rooms = 250): Promise<MemoryResult> {
  await sleep(1_000);
  const idle = rssBytes(server.pid);
  const { peers } = await openMany(server, sockets, rooms, 50, "mem");
  await sleep(2_000);
  const loaded = rssBytes(server.pid);
  for (const peer of peers.flat()) peer.close();
  await sleep(500);
  return {
    idleMiB: idle / 2 ** 20,
    loadedMiB: loaded / 2 ** 20,
    perSocketKiB: (loaded - idle) / 1024 / sockets,
    sockets: peers.flat().length,
  };
}
