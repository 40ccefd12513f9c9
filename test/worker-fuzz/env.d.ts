// The fuzz project's extra binding (see test/vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    FUZZ_SEED?: string;
  }
}
