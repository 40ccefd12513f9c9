// Builds the static site into site/dist: one ES module bundle, the stylesheet
// and the HTML shell. wrangler runs this before `dev` and `deploy`, and again
// when site/src or site/static change. Files are overwritten in place (never
// a delete first) so a running `wrangler dev` never serves a half-built site.
import { build } from "esbuild";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");

await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(here, "src/main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: [join(here, "static/styles.css")],
  outfile: join(out, "app.css"),
  bundle: true,
  minify: true,
  logLevel: "warning",
});
// The iframe API's script (/embed.js): a classic script for any page, so one global and no module loading rules.
await build({
  entryPoints: [join(here, "src/embed/tincan-frame.ts")],
  outfile: join(out, "embed.js"),
  bundle: true,
  format: "iife",
  target: ["es2022"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
await copyFile(join(here, "static/index.html"), join(out, "index.html"));

// The whole site (script and styles) must stay small: fail the build past the budget.
// SITE_BUDGET_BYTES exists so a test can prove the build really fails.
const BUDGET_BYTES = Number(process.env["SITE_BUDGET_BYTES"] ?? 33 * 1024);
const sizes = await Promise.all(
  ["app.js", "app.css"].map(async (file) => gzipSync(await readFile(join(out, file)), { level: 9 }).byteLength),
);
const total = sizes.reduce((a, b) => a + b, 0);
const summary = `site: ${(total / 1024).toFixed(1)} kB gzipped (JS ${(sizes[0]! / 1024).toFixed(1)} kB, CSS ${(sizes[1]! / 1024).toFixed(1)} kB), budget ${BUDGET_BYTES / 1024} kB`;
if (total > BUDGET_BYTES) {
  console.error(`${summary}: over budget`);
  process.exit(1);
}
const embedBytes = gzipSync(await readFile(join(out, "embed.js")), { level: 9 }).byteLength;
console.log(`${summary}; embed.js ${(embedBytes / 1024).toFixed(1)} kB gzipped`);
