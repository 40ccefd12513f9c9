// Types of the `env` and `exports` the tests get from cloudflare:workers:
// the Worker's own bindings and main module.
import type { Env as WorkerEnv } from "../../worker/env";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
    interface GlobalProps {
      mainModule: typeof import("../../worker/index");
      durableNamespaces: "Room";
    }
  }
}
