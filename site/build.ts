// Builds the static site into site/dist: one ES module bundle, the stylesheet
// and the HTML shell. wrangler runs this before `dev` and `deploy`, and again
// when site/src or site/static change. Files are overwritten in place (never
// a delete first) so a running `wrangler dev` never serves a half-built site.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
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
await copyFile(join(here, "static/index.html"), join(out, "index.html"));
