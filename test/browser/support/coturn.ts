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

/** Answers true once the port listens for UDP inside `ns` (which this process cannot reach). */
async function listensIn(ns: string, port: number): Promise<boolean> {
  const child = spawn("ip", ["netns", "exec", ns, "ss", "-Hlun", `sport = :${port}`], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once("exit", resolve));
  return out.trim() !== "";
}

export interface CoturnOptions {
  secret: string;
  maxAllocateLifetime?: number;
  /** Relay ports (each connection may hold several until its allocation expires); default 100. */
  relayPorts?: number;
  /**
   * Inside a network namespace (the network lab): listen on these addresses
   * at port 3478 and relay from the first. Default: 127.0.0.1, a free port,
   * loopback peers allowed.
   */
  lab?: { netns: string; listen: string[] };
}

export async function startCoturn(options: CoturnOptions): Promise<Coturn> {
  if (!turnserverPath) throw new Error("coturn is not installed (apt-get install -y coturn)");
  const lab = options.lab;
  const port = lab ? 3478 : await freePort();
  const dir = await mkdtemp(join(tmpdir(), "tincan-coturn-"));
  // Relay ports picked per run so parallel runs on one machine do not clash.
  const ports = options.relayPorts ?? 100;
  const minPort = 50_000 + Math.floor(Math.random() * Math.floor(10_000 / ports)) * ports;
  const args = [
    "-n",
    ...(lab ? lab.listen.map((ip) => `--listening-ip=${ip}`) : ["--listening-ip=127.0.0.1"]),
    `--relay-ip=${lab ? lab.listen[0] : "127.0.0.1"}`,
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
    // Loopback is all there is outside the lab; without this every permission is 403.
    ...(lab ? [] : ["--allow-loopback-peers"]),
    ...(options.maxAllocateLifetime ? [`--max-allocate-lifetime=${options.maxAllocateLifetime}`] : []),
    `--userdb=${join(dir, "turndb.sqlite")}`,
    `--pidfile=${join(dir, "turn.pid")}`,
    `--log-file=${join(dir, "turn.log")}`,
    "--simple-log",
  ];
  const child = lab
    ? spawn("ip", ["netns", "exec", lab.netns, turnserverPath, ...args], { stdio: "ignore" })
    : spawn(turnserverPath, args, { stdio: "ignore" });
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
  const ready = () => (lab ? listensIn(lab.netns, port) : stunAnswers(port, 200));
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const output = await log();
      await stop();
      throw new Error(`coturn did not start on port ${port}:\n${output.slice(-3_000)}`);
    }
  }
  return { port, url: `turn:${lab ? lab.listen[0] : "127.0.0.1"}:${port}?transport=udp`, log, stop };
}
