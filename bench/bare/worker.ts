// The benchmark's Worker: Tincan's own, untouched, plus two things beside it
// in the same `wrangler dev`:
// - the bare relay under /api/bare/rooms/{room}/ws (the yardstick);
// - Tincan again under /api/mem/rooms/{room}/ws with its per-address limiter
//   answered in memory, as Cloudflare's edge does, instead of by Miniflare's
//   emulation (a Durable Object that every join in the process queues for).
//   Everything else about those joins is Tincan's own code.
// - Tincan's PeerJS endpoint again under /api/mem/peerjs, its join budget
//   answered in memory the same way (under /api/ so that it reaches the
//   Worker before the assets, as /peerjs does by run_worker_first).
import tincan from "../../worker/index";

// Every Durable Object class the real Worker exports (Room, the PeerJS
// endpoint's…): wrangler.toml binds them all, and wrangler dev refuses an
// entry that leaves one out. `export *` passes on named exports only, never
// the default, which is this file's own.
export * from "../../worker/index";
export { BareRoom } from "./relay";

const BARE_ROOM = /^\/api\/bare\/rooms\/([^/]+)\/ws$/;
const IN_MEMORY = /^\/api\/mem(\/rooms\/.*)$/;
const IN_MEMORY_PEERJS = /^\/api\/mem(\/peerjs(?:\/.*)?)$/;

const allowAll: RateLimit = { limit: async () => ({ success: true }) };
// One wrapped env per real one, so Tincan's per-isolate config cache still holds.
const inMemory = new WeakMap<object, Env>();
const withInMemoryLimits = (env: Env): Env => {
  let wrapped = inMemory.get(env);
  if (!wrapped) inMemory.set(env, (wrapped = { ...env, JOIN_LIMIT: allowAll, ROOM_INFO_LIMIT: allowAll }));
  return wrapped;
};

/** Tincan's own path for a request to one of the in-memory variants, or null. */
function inMemoryPath(pathname: string): string | null {
  const rooms = IN_MEMORY.exec(pathname)?.[1];
  if (rooms) return `/api${rooms}`;
  return IN_MEMORY_PEERJS.exec(pathname)?.[1] ?? null;
}

export default {
  fetch(
    request: Request,
    env: Env & { BARE: DurableObjectNamespace },
    ctx: ExecutionContext,
  ): Response | Promise<Response> {
    const url = new URL(request.url);
    const room = BARE_ROOM.exec(url.pathname)?.[1];
    if (room) return env.BARE.get(env.BARE.idFromName(room)).fetch(request);
    const path = inMemoryPath(url.pathname);
    if (path !== null) {
      url.pathname = path;
      return tincan.fetch(new Request(url, request), withInMemoryLimits(env), ctx);
    }
    return tincan.fetch(request, env, ctx);
  },
};
