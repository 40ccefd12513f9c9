// The benchmark's Worker: Tincan's own, untouched, plus two things beside it
// in the same `wrangler dev`:
// - the bare relay under /api/bare/rooms/{room}/ws (the yardstick);
// - Tincan again under /api/mem/rooms/{room}/ws with its per-address limiter
//   answered in memory, as Cloudflare's edge does, instead of by Miniflare's
//   emulation (a Durable Object that every join in the process queues for).
//   Everything else about those joins is Tincan's own code.
import tincan from "../../worker/index";

export { Room } from "../../worker/index";
export { BareRoom } from "./relay";

const BARE_ROOM = /^\/api\/bare\/rooms\/([^/]+)\/ws$/;
const IN_MEMORY = /^\/api\/mem(\/rooms\/.*)$/;

const allowAll: RateLimit = { limit: async () => ({ success: true }) };
// One wrapped env per real one, so Tincan's per-isolate config cache still holds.
const inMemory = new WeakMap<object, Env>();
const withInMemoryLimits = (env: Env): Env => {
  let wrapped = inMemory.get(env);
  if (!wrapped) inMemory.set(env, (wrapped = { ...env, JOIN_LIMIT: allowAll, ROOM_INFO_LIMIT: allowAll }));
  return wrapped;
};

export default {
  fetch(
    request: Request,
    env: Env & { BARE: DurableObjectNamespace },
    ctx: ExecutionContext,
  ): Response | Promise<Response> {
    const url = new URL(request.url);
    const room = BARE_ROOM.exec(url.pathname)?.[1];
    if (room) return env.BARE.get(env.BARE.idFromName(room)).fetch(request);
    const rest = IN_MEMORY.exec(url.pathname)?.[1];
    if (rest) {
      url.pathname = `/api${rest}`;
      return tincan.fetch(new Request(url, request), withInMemoryLimits(env), ctx);
    }
    return tincan.fetch(request, env, ctx);
  },
};
