// A real coturn on 127.0.0.1 with the TURN REST API scheme (use-auth-secret),
// started and stopped by the tests themselves; the packaged service is never
// used. Flags from ../shared/e2e-recipe.md.
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./dev-server.ts";

const CANDIDATES = [process.env.TURNSERVER_PATH, "/usr/bin/turnserver", "/usr/local/bin/turnserver"];
export const turnserverPath: string | undefined = CANDIDATES.find(
  (path): path is string => path !== undefined && path !== "" && existsSync(path),
);

export interface Coturn {
  port: number;
  /** The URL to put in TURN_URLS. */
  url: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Answers true once a STUN Binding request to the port gets any answer. */
function stunAnswers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request, no attributes
    request.writeUInt32BE(0x2112a442, 4); // magic cookie
    for (let i = 8; i < 20; i++) request[i] = Math.floor(Math.random() * 256);
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("message", () => done(true));
    socket.on("error", () => done(false));
    socket.send(request, port, "127.0.0.1");
  });
}

export async function startCoturn(options: {
  secret: string;
  maxAllocateLifetime?: number;
  /** Relay ports (each connection may hold several until its allocation expires); default 100. */
  relayPorts?: number;
}): Promise<Coturn> {
  if (!turnserverPath) throw new Error("coturn is not installed (apt-get install -y coturn)");
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "tincan-coturn-"));
  // Relay ports picked per run so parallel runs on one machine do not clash.
  const ports = options.relayPorts ?? 100;
  const minPort = 50_000 + Math.floor(Math.random() * Math.floor(10_000 / ports)) * ports;
  const args = [
    "-n",
    "--listening-ip=127.0.0.1",
    "--relay-ip=127.0.0.1",
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + ports - 1}`,
    "--realm=tincan.test",
    "--use-auth-secret",
    `--static-auth-secret=${options.secret}`,
    "--fingerprint",
    "--no-tls",
    "--no-dtls",
    "--no-cli",
    "--no-multicast-peers",
    // Loopback is all there is here; without this every permission is 403.
    "--allow-loopback-peers",
    ...(options.maxAllocateLifetime ? [`--max-allocate-lifetime=${options.maxAllocateLifetime}`] : []),
    `--userdb=${join(dir, "turndb.sqlite")}`,
    `--pidfile=${join(dir, "turn.pid")}`,
    `--log-file=${join(dir, "turn.log")}`,
    "--simple-log",
  ];
  const child = spawn(turnserverPath, args, { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const logFile = join(dir, "turn.log");
  const log = () => readFile(logFile, "utf8").catch(() => "");

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(killed);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  while (!(await stunAnswers(port, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const output = await log();
      await stop();
      throw new Error(`coturn did not start on port ${port}:\n${output.slice(-3_000)}`);
    }
  }
  return { port, url: `turn:127.0.0.1:${port}?transport=udp`, log, stop };
}
