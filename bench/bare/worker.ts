// The benchmark's Worker: Tincan's own, untouched, plus the bare relay
// under /bare/api/rooms/{room}/ws, so both run in one `wrangler dev`.
import tincan from "../../worker/index";

export { Room } from "../../worker/index";
export { BareRoom } from "./relay";

const BARE_ROOM = /^\/bare\/api\/rooms\/([^/]+)\/ws$/;

export default {
  fetch(
    request: Request,
    env: Env & { BARE: DurableObjectNamespace },
    ctx: ExecutionContext,
  ): Response | Promise<Response> {
    const room = BARE_ROOM.exec(new URL(request.url).pathname)?.[1];
    if (room) return env.BARE.get(env.BARE.idFromName(room)).fetch(request);
    return tincan.fetch(request, env, ctx);
  },
};
