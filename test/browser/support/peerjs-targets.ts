// The servers the PeerJS client is tested against: the reference server and
// Tincan's PeerJS endpoint, started with the same timings so the same test,
// with the same waits, holds for both.
import { startDevServer } from "./dev-server.ts";
import { startReferenceServer } from "./peerjs-reference.ts";

/** Where a peerjs `Peer` finds its server (the serializable part of PeerJSOption). */
export interface PeerjsServerOptions {
  host: string;
  port: number;
  path: string;
  key: string;
  secure: boolean;
}

export interface RunningTarget {
  /** The server's own origin; the test page is served here, so it is same-origin with the server. */
  origin: string;
  clientOptions: PeerjsServerOptions;
  stop(): Promise<void>;
}

export interface Target {
  name: string;
  start(): Promise<RunningTarget>;
}

export const PEERJS_PATH = "/peerjs";
export const PEERJS_KEY = "peerjs";

/** Both servers' defaults, given to both explicitly so neither drifts from the other. */
export const TIMINGS = { expireSeconds: 5, aliveSeconds: 90 } as const;

function clientOptionsFor(port: number): PeerjsServerOptions {
  return { host: "127.0.0.1", port, path: PEERJS_PATH, key: PEERJS_KEY, secure: false };
}

/**
 * Fails at once, saying why, when `origin` has no PeerJS server at the path:
 * otherwise every test would time out waiting for an 'open' that never comes.
 */
async function expectPeerjsServer(origin: string): Promise<void> {
  const url = `${origin}${PEERJS_PATH}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = await response.text();
  if (!response.ok || !body.includes('"name":"PeerJS Server"')) {
    throw new Error(`no PeerJS server at ${url}: GET answered ${response.status} ${body.slice(0, 200)}`);
  }
}

/** Runs the probe on a started server, stopping it if the probe fails. */
async function checked(running: RunningTarget): Promise<RunningTarget> {
  try {
    await expectPeerjsServer(running.origin);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

export const targets: Target[] = [
  {
    name: "peerjs-server (reference)",
    async start() {
      const server = await startReferenceServer({
        path: PEERJS_PATH,
        key: PEERJS_KEY,
        expireTimeoutMs: TIMINGS.expireSeconds * 1_000,
        aliveTimeoutMs: TIMINGS.aliveSeconds * 1_000,
      });
      return checked({
        origin: `http://127.0.0.1:${server.port}`,
        clientOptions: clientOptionsFor(server.port),
        stop: () => server.stop(),
      });
    },
  },
  {
    name: "Tincan (wrangler dev)",
    async start() {
      const dev = await startDevServer({
        PEERJS_EXPIRE_TIMEOUT_SECONDS: String(TIMINGS.expireSeconds),
        PEERJS_ALIVE_TIMEOUT_SECONDS: String(TIMINGS.aliveSeconds),
      });
      return checked({ origin: dev.url, clientOptions: clientOptionsFor(dev.port), stop: () => dev.stop() });
    },
  },
];
