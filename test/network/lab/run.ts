// Running the lab's commands (ip, iptables, sysctl, tc, conntrack) as root,
// each failure reported with the command and what it printed: a lab that
// half-builds must say where it stopped.
import { execFile, execFileSync } from "node:child_process";

export class CommandError extends Error {}

/** Runs `file args…`, with `input` on stdin; resolves with stdout, rejects with stderr. */
export function run(file: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 20_000, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const shown = [file, ...args].join(" ");
        reject(new CommandError(`\`${shown}\` failed: ${stderr.trim() || error.message}`));
      } else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Runs a shell script inside the namespace `ns` (`set -e`: it stops at the first failure). */
export function shIn(ns: string, script: string): Promise<string> {
  return run("ip", ["netns", "exec", ns, "sh", "-ec", script]);
}

/** The same, synchronous: for tear-down from an exit handler, where nothing async runs. */
export function runSync(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).toString();
  } catch {
    return "";
  }
}

/** Whether a process is alive (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
