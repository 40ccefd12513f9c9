import { Hono } from "hono";
import { readConfig } from "./config";
import { errorResponse } from "./errors";
import { health } from "./http/health";
import { iceServers } from "./http/ice-servers";
import { onAppError } from "./http/on-error";
import { withPageHeaders } from "./http/page-headers";
import { rooms } from "./http/rooms";
import { peerJsSubpath, peerjs } from "./peerjs/routes";

const api = new Hono<{ Bindings: Env }>();
api.route("/health", health);
api.route("/rooms", rooms);
api.route("/ice-servers", iceServers);
api.all("*", () => errorResponse(404, "not-found", "no such API endpoint"));

export const app = new Hono<{ Bindings: Env }>();
// The PeerJS endpoint sits where PEERJS_PATH says, known only from the env:
// its requests go to its own app with the path taken off.
app.use("*", async (c, next) => {
  const rest = peerJsSubpath(c.req.path, readConfig(c.env).peerjs.path);
  if (rest === null) return next();
  const url = new URL(c.req.url);
  url.pathname = rest === "" ? "/" : rest;
  return peerjs.fetch(new Request(url, c.req.raw), c.env, c.executionCtx);
});
app.route("/api", api);
// Everything else is the static site. run_worker_first sends its HTML (the
// landing page and room links) here so that it carries frame-ancestors from
// EMBED_ORIGINS; the script and styles go straight from the assets layer.
app.all("*", async (c) => withPageHeaders(await c.env.ASSETS.fetch(c.req.raw), readConfig(c.env)));

app.onError(onAppError);
