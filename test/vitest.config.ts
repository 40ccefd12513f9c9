// One runner for every suite, so `npm test` gives one summary:
// - worker: the Worker and the Room object inside workerd (Cloudflare's Vitest integration)
// - unit: pure site logic in Node
// - browser: real Chromium against `wrangler dev` (see test/browser/support)
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        test: { name: "worker", root, include: ["test/worker/**/*.test.ts"] },
      },
      {
        test: { name: "unit", root, environment: "node", include: ["test/unit/**/*.test.ts"] },
      },
      {
        test: {
          name: "browser",
          root,
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/support/global-setup.ts"],
          // Each file starts its own wrangler dev and browser; two cores take
          // one file at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
