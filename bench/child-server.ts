// A reference server run as a Node child process of its own, so its CPU and
// memory can be read from /proc apart from the benchmark's clients. The
// script is given port 0 and prints `listening PORT` once it accepts.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ChildServer {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts `script` (a path relative to bench/) and waits for its `listening PORT` line. */
export async function startChildServer(script: string): Promise<ChildServer> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [path, "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let seen = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening`));
    });
    child.stdout.on("data", (chunk: Buffer) => {
      // The line may arrive split over chunks: match on everything seen so far.
      seen = (seen + chunk.toString()).slice(-1_000);
      const match = /listening (\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      // A server that ignores SIGTERM must not keep the benchmark from ending.
      const killed = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killed);
    },
  };
}
