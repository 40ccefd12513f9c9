// `wrangler dev` of the real app on a free loopback port, for browser tests.
import { spawn, type ChildProcess } from "node:child_process";
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

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

export interface DevServerOptions {
  /** Listen here (to restart a server where the pages expect it); default a free port. */
  port?: number;
  /** Durable Object storage to use (to restart with the same rooms); default a fresh one, removed on stop. */
  persistDir?: string;
  /** A different entry or extra bindings (the benchmark's bare relay). */
  config?: DevConfigOptions;
}

/** Starts `wrangler dev`; `vars` override wrangler.toml's [vars]. */
export async function startDevServer(
  vars: Record<string, string> = {},
  options: DevServerOptions = {},
): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const inspectorPort = await freePort();
  const persist = options.persistDir ?? (await mkdtemp(join(tmpdir(), "tincan-dev-")));
  const config = await writeDevConfig(options.config);
  const args = [
    WRANGLER,
    "dev",
    "--config",
    config.path,
    "--ip",
    "127.0.0.1",
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
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
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

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: child.pid, output: () => log, stop };
}
