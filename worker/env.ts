import type { Room } from "./room/room";

/** Bindings and vars from wrangler.toml (and .dev.vars for secrets). */
export interface Env {
  ROOMS: DurableObjectNamespace<Room>;
  ASSETS: Fetcher;
  /** Seats per room; default 8. */
  ROOM_CAPACITY?: string;
}
