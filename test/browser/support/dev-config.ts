// The wrangler config the browser suite and the benchmark run `wrangler dev`
// with: wrangler.toml as it ships, with the per-address budgets lifted
// (every page here comes from 127.0.0.1, so one address would run out in
// seconds) and optional extra sections (the benchmark's bare relay). Written
// under .wrangler/ (git-ignored) with absolute paths; removed on stop.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface DevConfigOptions {
  /** The Worker's entry instead of wrangler.toml's `main`, relative to the project. */
  main?: string;
  /** TOML appended as it is (more bindings, migrations). */
  extra?: string;
  /**
   * false: serve site/dist as it is, without wrangler's build and its watch
   * (`npm test` has just built it; servers started side by side would
   * otherwise all rebuild the same folder at once).
   */
  build?: boolean;
}

export interface DevConfig {
  path: string;
  remove(): Promise<void>;
}

export async function writeDevConfig(options: DevConfigOptions = {}): Promise<DevConfig> {
  const source = await readFile(join(ROOT, "wrangler.toml"), "utf8");
  const absolute = (path: string) => JSON.stringify(join(ROOT, path));
  let toml = source
    .replace(/^main = "([^"]+)"$/m, (_, main: string) => `main = ${absolute(options.main ?? main)}`)
    .replace(/^directory = "([^"]+)"$/m, (_, dir: string) => `directory = ${absolute(dir)}`)
    .replace(/^watch_dir = \[([^\]]*)\]$/m, (_, dirs: string) => {
      const list = [...dirs.matchAll(/"([^"]+)"/g)].map((m) => absolute(m[1]!));
      return `watch_dir = [${list.join(", ")}]\ncwd = ${JSON.stringify(ROOT)}`;
    })
    .replace(/^simple = \{ limit = \d+, period = (\d+) \}$/gm, "simple = { limit = 1000000, period = $1 }");
  if (!toml.includes(`cwd = ${JSON.stringify(ROOT)}`) || !toml.includes("limit = 1000000")) {
    throw new Error("wrangler.toml changed shape: update test/browser/support/dev-config.ts");
  }
  if (options.build === false) toml = toml.replace(/^\[build\]\n(?:(?!\[).*\n)*/m, "");
  if (options.extra) toml += `\n${options.extra}\n`;
  const dir = join(ROOT, ".wrangler", "test-config");
  await mkdir(dir, { recursive: true });
  const path = join(dir, `wrangler-${process.pid}-${Math.random().toString(36).slice(2, 8)}.toml`);
  await writeFile(path, toml);
  return { path, remove: () => rm(path, { force: true }) };
}
