// The bindings the tests' `env` has: the same as the Worker's.
declare namespace Cloudflare {
  interface Env extends import("../../worker/env").Env {}
}
