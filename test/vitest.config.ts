// One runner for every suite, so `npm test` gives one summary:
// - worker: the Worker and the Room object inside workerd (Cloudflare's Vitest integration)
// - unit: pure site logic in Node
// - browser: real Chromium and Firefox against `wrangler dev` (see test/browser/support)
// - network: the same browsers in homes behind real NATs, in network namespaces (see test/network)
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

/** A suite inside workerd, with wrangler.toml plus `bindings` as the Worker's env. */
function workerProject(name: string, include: string[], bindings: Record<string, string> = {}) {
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        // Quiet by default; the suites that inspect log lines turn them all on.
        miniflare: { bindings: { LOG_LEVEL: "warn", ...bindings } },
      }),
    ],
    test: { name, root, include, isolate: false },
  };
}

export default defineConfig({
  test: {
    root,
    projects: [
      workerProject("worker", ["test/worker/**/*.test.ts"]),
      // Short grace and idle timeout, for the tests that must see them run out.
      workerProject("worker-timing", ["test/worker-timing/**/*.test.ts"], {
        RESUME_GRACE_SECONDS: "1",
        IDLE_TIMEOUT_SECONDS: "2",
      }),
      // The PeerJS endpoint with its queue expiring in 1 s and sockets freed
      // after 2 s of silence, discovery on, and a frame budget a test can spend.
      workerProject("worker-peerjs", ["test/worker-peerjs/**/*.test.ts"], {
        PEERJS_EXPIRE_TIMEOUT_SECONDS: "1",
        PEERJS_ALIVE_TIMEOUT_SECONDS: "2",
        PEERJS_DISCOVERY: "true",
        RATE_LIMIT_PER_SECOND: "20",
        RATE_LIMIT_BURST: "60",
      }),
      // The fuzzer tests parsing, not the rate limiter (which has its own tests).
      workerProject("worker-fuzz", ["test/worker-fuzz/**/*.test.ts"], {
        RATE_LIMIT_PER_SECOND: "1000000",
        RATE_LIMIT_BURST: "1000000",
        // FUZZ_SEED=n npm test replays one run exactly.
        FUZZ_SEED: process.env["FUZZ_SEED"] ?? "",
      }),
      workerProject("worker-coturn", ["test/worker-turn/shared-secret.test.ts"], {
        TURN_URLS: "turn:turn.test:3478?transport=udp,turns:turn.test:443?transport=tcp",
        // Fake secrets, only ever used against fakes; the tests read them from env.
        TURN_SECRET: "test-only-turn-secret-4f9a",
        TURN_TTL: "600",
        LOG_LEVEL: "debug",
      }),
      workerProject("worker-cloudflare", ["test/worker-turn/cloudflare.test.ts"], {
        CF_TURN_KEY_ID: "test-key-id",
        CF_TURN_API_TOKEN: "test-only-cf-api-token-81c2",
        TURN_TTL: "900",
        RESUME_GRACE_SECONDS: "1",
        LOG_LEVEL: "debug",
      }),
      {
        test: {
          name: "unit",
          root,
          environment: "node",
          include: ["test/unit/**/*.test.ts", "test/client/**/*.test.ts"],
          // Pure functions with no side effects to leak: one worker for all
          // files instead of half a second's start for each.
          isolate: false,
          // The fuzzers read 10,000 values each in about 2 s; a busy machine may take 7.
          testTimeout: 30_000,
        },
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
          // A busy machine (CI shares its cores) must not fail a poll that would
          // have passed a moment later: polls wait up to 10 s unless they say.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        test: {
          name: "network",
          root,
          environment: "node",
          include: ["test/network/**/*.test.ts"],
          // The lab (namespaces, coturn, two Tincans) is built once for all files.
          globalSetup: ["test/network/support/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
