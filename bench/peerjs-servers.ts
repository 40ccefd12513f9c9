// The two PeerJS servers the benchmark compares: Tincan's endpoint in the
// bench's `wrangler dev` (one Durable Object per PeerJS id), and the
// reference peerjs-server in a Node process of its own.
import { startChildServer } from "./child-server.ts";
import type { BenchServer } from "./servers.ts";

export interface PeerjsServer {
  name: string;
  /** The PeerServer's mount, e.g. http://127.0.0.1:9000/peerjs (GET: the server's description). */
  mountUrl: string;
  /** Every process serving requests (their CPU is what we report). */
  cpuPids(): number[];
}

/** Both servers mount at /peerjs with key "peerjs" (bench/peerjs-server.ts). */
export const PEERJS_KEY = "peerjs";

/** Where a PeerJS client opens its socket: `${path}/peerjs` under the mount, as the peerjs client does. */
export function peerjsSocketUrl(server: PeerjsServer, id: string, token: string): string {
  const query = new URLSearchParams({ key: PEERJS_KEY, id, token });
  return `${server.mountUrl.replace(/^http/, "ws")}/peerjs?${query}`;
}

/** Tincan's PeerJS endpoint: the real Worker under /peerjs in the bench's wrangler dev. */
export function tincanPeerjs(tincan: BenchServer): PeerjsServer {
  return { name: "Tincan", mountUrl: `${tincan.httpUrl}/peerjs`, cpuPids: () => tincan.cpuPids() };
}

/**
 * The same endpoint with its join budget answered in memory, as Cloudflare's
 * edge counter does, rather than by Miniflare's emulation (bench/bare/worker.ts).
 */
export function tincanPeerjsMem(tincan: BenchServer): PeerjsServer {
  return {
    name: "Tincan, limiter in memory",
    mountUrl: `${tincan.httpUrl}/api/mem/peerjs`,
    cpuPids: () => tincan.cpuPids(),
  };
}

export async function startReferencePeerjs(): Promise<PeerjsServer & { stop(): Promise<void> }> {
  const child = await startChildServer("./peerjs-server.ts");
  return {
    name: "peerjs-server",
    mountUrl: `http://127.0.0.1:${child.port}/peerjs`,
    cpuPids: () => [child.pid],
    stop: child.stop,
  };
}

/**
 * Whether a PeerJS server answers at its mount as one does: GET answers its
 * description, `{"name":"PeerJS Server",...}`. Returns why not otherwise
 * (a 404 while Tincan's endpoint is not written yet; the site's index.html
 * if the path is left to the assets).
 */
export async function peerjsProblem(server: PeerjsServer): Promise<string | null> {
  try {
    const response = await fetch(server.mountUrl, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    if (!response.ok) return `GET ${new URL(server.mountUrl).pathname} answered ${response.status}`;
    try {
      const body = JSON.parse(text) as { name?: unknown };
      if (body.name === "PeerJS Server") return null;
    } catch {
      // Not JSON: reported below.
    }
    return `GET ${new URL(server.mountUrl).pathname} answered ${response.status} without {"name":"PeerJS Server"} (${JSON.stringify(text.slice(0, 60))})`;
  } catch (error) {
    return `GET ${server.mountUrl} failed: ${String(error)}`;
  }
}
