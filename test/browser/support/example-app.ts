// An example app (examples/<name>) served as an app would serve it: its own
// origin (another loopback port than Tincan's), its script bundled from
// `tincan/client` the way an app's bundler resolves it (package.json's
// exports, so `npm run build:client` must have run; npm test does).
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { freePort } from "./dev-server.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));

export interface ExampleApp {
  /** The app's address, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Its origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  stop(): Promise<void>;
}

export async function serveExample(name: string): Promise<ExampleApp> {
  const dir = `${root}examples/${name}`;
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    "/": { type: "text/html", body: await readFile(`${dir}/index.html`, "utf8") },
  };
  // An app with a script of its own (main.ts) is bundled; an HTML-only one (embed) is served as it is.
  if (existsSync(`${dir}/main.ts`)) {
    const bundle = await build({
      entryPoints: [`${dir}/main.ts`],
      bundle: true,
      format: "esm",
      target: ["es2022"],
      write: false,
      logLevel: "warning",
      absWorkingDir: root,
    });
    files["/main.js"] = { type: "text/javascript", body: bundle.outputFiles[0]!.contents };
  }
  return serveFiles(files);
}

/**
 * A bare page on an origin of its own with the built library on `window.tincan`
 * (bundled from `tincan/client` as an app would), for tests that drive the
 * library directly rather than through an example's UI.
 */
export async function serveLibraryHarness(): Promise<ExampleApp> {
  const bundle = await build({
    stdin: { contents: 'import * as tincan from "tincan/client"; globalThis.tincan = tincan;', resolveDir: root },
    bundle: true,
    format: "esm",
    target: ["es2022"],
    write: false,
    logLevel: "warning",
  });
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    "/": {
      type: "text/html",
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>tincan/client</title><script type="module" src="/main.js"></script></head><body></body></html>',
    },
    "/main.js": { type: "text/javascript", body: bundle.outputFiles[0]!.contents },
  };
  return serveFiles(files);
}

async function serveFiles(files: Record<string, { type: string; body: string | Uint8Array }>): Promise<ExampleApp> {
  const server: Server = createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", "http://x").pathname];
    response.writeHead(file ? 200 : 404, { "content-type": file?.type ?? "text/plain" });
    response.end(file?.body ?? "not found");
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
