// `wrangler dev` of the real app on a free loopback port, for browser tests.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeDevConfig, type DevConfigOptions } from "./dev-config.ts";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const START_TIMEOUT_MS = 90_000;

export interface DevServer {
  url: string;
  port: number;
  /** wrangler's pid, which is also its process group (workerd runs in it). */
  pid: number | undefined;
  /** Everything wrangler printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Polls `url`'s health route until it answers (true), or the deadline passes (false). */
async function pollHealth(url: string, deadline: number, exited: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !exited()) {
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/**
 * The same poll run inside network namespace `ns` (which this process cannot
 * reach), by a Node of the same version started there.
 */
function pollHealthIn(ns: string, url: string, deadline: number): Promise<boolean> {
  const script = `${pollHealth.toString()}; pollHealth(${JSON.stringify(url)}, ${deadline}, () => false).then((ok) => process.exit(ok ? 0 : 1));`;
  const poller = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", script], { stdio: "ignore" });
  return new Promise((resolve) => poller.once("exit", (code) => resolve(code === 0)));
}

export interface DevServerOptions {
  /** Listen here (to restart a server where the pages expect it); default a free port. */
  port?: number;
  /** Durable Object storage to use (to restart with the same rooms); default a fresh one, removed on stop. */
  persistDir?: string;
  /** A different entry or extra bindings (the benchmark's bare relay). */
  config?: DevConfigOptions;
  /** Listen on this address (default 127.0.0.1). */
  ip?: string;
  /** Run inside this network namespace (the network lab's internet). */
  netns?: string;
}

/** Starts `wrangler dev`; `vars` override wrangler.toml's [vars]. */
export async function startDevServer(
  vars: Record<string, string> = {},
  options: DevServerOptions = {},
): Promise<DevServer> {
  const ip = options.ip ?? "127.0.0.1";
  // A namespace of its own has every port free.
  const port = options.port ?? (options.netns ? 8787 : await freePort());
  const inspectorPort = options.netns ? port + 1_000 : await freePort();
  const persist = options.persistDir ?? (await mkdtemp(join(tmpdir(), "tincan-dev-")));
  // The browser suite's global setup built the site once for all its servers.
  const prebuilt = process.env["TINCAN_SITE_PREBUILT"] === "1";
  const config = await writeDevConfig({ build: !prebuilt, ...options.config });
  const args = [
    WRANGLER,
    "dev",
    "--config",
    config.path,
    "--ip",
    ip,
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persist,
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
    ...Object.entries({ LOG_LEVEL: "warn", ...vars }).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
  ];
  // Own process group, so stop() also ends workerd and the build it spawns.
  const [command, commandArgs] = options.netns
    ? ["ip", ["netns", "exec", options.netns, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, commandArgs, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      const killed = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }, 5_000);
      await exited;
      clearTimeout(killed);
    }
    if (!options.persistDir) await rm(persist, { recursive: true, force: true });
    await config.remove();
  };

  const url = `http://${ip}:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  const healthy = options.netns
    ? await pollHealthIn(options.netns, url, deadline)
    : await pollHealth(url, deadline, () => child.exitCode !== null);
  if (!healthy) {
    const exit = child.exitCode;
    await stop();
    throw new Error(
      exit !== null
        ? `wrangler dev exited with ${exit}:\n${log}`
        : `wrangler dev did not answer within ${START_TIMEOUT_MS} ms:\n${log}`,
    );
  }
  return { url, port, pid: child.pid, output: () => log, stop };
}
