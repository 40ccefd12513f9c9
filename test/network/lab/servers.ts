// What runs on the lab's internet: coturn on two addresses (STUN on both,
// TURN over UDP and TCP on the first), Tincan under `wrangler dev` with that
// TURN, and a second Tincan with STUN only (TURN switched off), each reached
// by the homes at its internet address, as a person's browser would.
import { startCoturn, type Coturn } from "../../browser/support/coturn.ts";
import { startDevServer, type DevServer } from "../../browser/support/dev-server.ts";
import type { Lab } from "./lab.ts";
import { INTERNET } from "./plan.ts";

export interface LabServers {
  coturn: Coturn;
  /** Tincan with STUN and TURN. */
  tincan: DevServer;
  /** Tincan with STUN only. */
  stunOnly: DevServer;
  /** The TURN shared secret (the lab's own, made per run). */
  secret: string;
  stop(): Promise<void>;
}

export const STUN_URLS = [`stun:${INTERNET.turn}:3478`, `stun:${INTERNET.stun2}:3478`];
export const TURN_URLS = [`turn:${INTERNET.turn}:3478?transport=udp`, `turn:${INTERNET.turn}:3478?transport=tcp`];

export async function startLabServers(lab: Lab): Promise<LabServers> {
  const netns = lab.ns("internet");
  const secret = `lab-secret-${crypto.randomUUID()}`;
  const coturn = await startCoturn({
    secret,
    relayPorts: 400,
    lab: { netns, listen: [INTERNET.turn, INTERNET.stun2] },
  });
  const stun = STUN_URLS.join(",");
  const started = await Promise.allSettled([
    startDevServer(
      { STUN_URLS: stun, TURN_URLS: TURN_URLS.join(","), TURN_SECRET: secret, TURN_TTL: "3600" },
      { netns, ip: INTERNET.tincan, port: 8787, config: { build: false } },
    ),
    startDevServer({ STUN_URLS: stun }, { netns, ip: INTERNET.tincan, port: 8788, config: { build: false } }),
  ]);
  const [tincan, stunOnly] = started.map((s) => (s.status === "fulfilled" ? s.value : null));
  const stop = async () => {
    await Promise.all([tincan?.stop(), stunOnly?.stop(), coturn.stop()]);
  };
  if (!tincan || !stunOnly) {
    await stop();
    const failure = started.find((s) => s.status === "rejected");
    throw failure?.reason instanceof Error ? failure.reason : new Error("a lab server did not start");
  }
  return { coturn, tincan, stunOnly, secret, stop };
}
