// `{path}/peerjs?key=K&id=ID&token=T`: every check a PeerJS socket needs
// before an object is touched, each refusal in the reference's shape (an
// ERROR frame, then a close) because a PeerJS client reads nothing else:
// a plain HTTP error would reach its app as a bare `socket-error`.
import type { Context } from "hono";
import { PEERJS_ID_MAX_LENGTH, PEERJS_TOKEN_MAX_LENGTH, PeerJsError } from "../../protocol/peerjs";
import { readConfig } from "../config";
import { log } from "../log";
import { spendAddressBudget } from "../http/limits";
import { isOriginAllowed } from "../http/origin";
import { isPeerJsId } from "./frames";
import { peerStub } from "./names";
import { refusedSocket } from "./peer-sockets";

const TOKEN_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${PEERJS_TOKEN_MAX_LENGTH}}$`);

/** The reference's refusal: an ERROR frame saying why, then a close; the client reports `server-error`. */
function refuse(msg: string, code: number): Response {
  return refusedSocket({ type: "ERROR", payload: { msg } }, code, "refused");
}

export async function openPeerJsSocket(c: Context<{ Bindings: Env }>): Promise<Response> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    return new Response("this endpoint needs a WebSocket upgrade", { status: 426 });
  }
  const config = readConfig(c.env);
  const { key, id, token } = c.req.query();
  // The reference's checks in its order: all three present, then the key.
  if (!id || !token || !key) return refuse(PeerJsError.missingParameters, 1000);
  if (key !== config.peerjs.key) return refuse(PeerJsError.invalidKey, 1000);
  if (!isPeerJsId(id))
    return refuse(`Invalid id: 1-${PEERJS_ID_MAX_LENGTH} of A-Z a-z 0-9, joined by - _ or space`, 1000);
  if (!TOKEN_PATTERN.test(token)) return refuse(`Invalid token: 1-${PEERJS_TOKEN_MAX_LENGTH} of A-Z a-z 0-9 _ -`, 1000);
  if (!isOriginAllowed(c.req.header("Origin"), c.req.url, config.origins)) {
    log(config, "warn", { event: "forbidden-origin", endpoint: "peerjs", code: "forbidden-origin" });
    return refuse("pages from this origin may not connect to this server", 1008);
  }
  // The rooms' join budget: one socket here costs what a room join costs.
  if (!(await spendAddressBudget(c, c.env.JOIN_LIMIT))) {
    log(config, "warn", { event: "too-many-joins", endpoint: "peerjs", code: "too-many-joins" });
    return refuse("too many connections from this address; try again shortly", 1008);
  }
  // The object accepts the socket itself, so it can hibernate with it.
  return peerStub(c.env, key, id).fetch(c.req.raw);
}
