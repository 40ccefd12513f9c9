// The PeerJS endpoint's routes, relative to PEERJS_PATH (the app strips it):
// peerjs-server's HTTP API, its socket, and Tincan's ICE servers. CORS
// answers the pages the origin allowlist allows, as peerjs-server answers
// every page: a PeerJS app is usually served from somewhere else.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { PEERJS_DESCRIPTION, PEERJS_SOCKET_SEGMENT } from "../../protocol/peerjs";
import { readConfig } from "../config";
import { errorResponse } from "../errors";
import { answerIceServers } from "../http/ice-servers";
import { joinLimit } from "../http/limits";
import { onAppError } from "../http/on-error";
import { allowedOrigin, isOriginAllowed } from "../http/origin";
import { directoryStub } from "./names";
import { openPeerJsSocket } from "./socket";

export const peerjs = new Hono<{ Bindings: Env }>();

peerjs.use(
  "*",
  cors({
    origin: (origin, c) => (isOriginAllowed(origin, c.req.url, readConfig(c.env).origins) ? origin : null),
    allowMethods: ["GET", "OPTIONS"],
    maxAge: 600,
  }),
);

peerjs.get("/", (c) => c.json(PEERJS_DESCRIPTION));

peerjs.get(`/${PEERJS_SOCKET_SEGMENT}`, openPeerJsSocket);

// Routes under the key answer only for the configured key, as the
// reference's, which are mounted under it.
const keyed = new Hono<{ Bindings: Env }>();
keyed.use("*", async (c, next) => {
  if (c.req.param("key") !== readConfig(c.env).peerjs.key) return notFound();
  await next();
});

// A fresh id for a client that brings none (`new Peer()`), as plain text.
keyed.get("/id", (c) => {
  c.header("Cache-Control", "no-store");
  return c.text(crypto.randomUUID());
});

keyed.get("/peers", async (c) => {
  const config = readConfig(c.env);
  // The reference's answer without allow_discovery: a bare 401.
  if (!config.peerjs.discovery) return c.text("Unauthorized", 401);
  c.header("Cache-Control", "no-store");
  return c.json(await directoryStub(c.env, config.peerjs.key).list());
});

// For `new Peer(id, { config: { iceServers } })`: guarded as a join is, as
// /api/ice-servers is, because it may cost a TURN provider call.
keyed.get("/ice-servers", allowedOrigin("ask for ICE servers"), joinLimit, (c) => answerIceServers(c, "peerjs"));

peerjs.route("/:key", keyed);
peerjs.all("*", () => notFound());
peerjs.onError(onAppError);

function notFound(): Response {
  return errorResponse(404, "not-found", "no such PeerJS endpoint");
}

/**
 * The part of `pathname` under the endpoint's `path` (`""` for the path
 * itself), or null when the request is not for the endpoint.
 */
export function peerJsSubpath(pathname: string, path: string): string | null {
  if (pathname === path) return "";
  return pathname.startsWith(`${path}/`) ? pathname.slice(path.length) : null;
}
