// Builds the client library, tincan/client (see docs/client.md): one ES module
// with its type declarations in site/dist-client, which package.json exports.
// Not minified: an app's own bundler minifies, and a readable module is easier
// to step through. The room page never loads this file; it imports the same
// sources through site/build.ts.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist-client");

await rm(out, { recursive: true, force: true });
await build({
  entryPoints: [join(here, "src/client/index.ts")],
  outfile: join(out, "index.js"),
  bundle: true,
  format: "esm",
  // Every browser Tincan supports runs ES2022; an app that needs older output transpiles it itself.
  target: ["es2022"],
  platform: "neutral",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});
// Declarations come from TypeScript itself: esbuild strips types and never writes them.
const tsc = spawnSync(
  process.execPath,
  [join(here, "../node_modules/typescript/bin/tsc"), "-p", join(here, "tsconfig.client.json")],
  {
    stdio: "inherit",
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
console.log("client: site/dist-client/index.js with its types");
