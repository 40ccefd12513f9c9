// What the workerd projects add to the Worker's own env (test/vitest.config.ts):
// the variables and secrets some projects set, read back by their tests.
declare namespace Cloudflare {
  interface Env {
    TURN_SECRET?: string;
    CF_TURN_KEY_ID?: string;
    CF_TURN_API_TOKEN?: string;
  }
}
