import { Hono } from "hono";
import { readConfig } from "./config";
import { errorResponse } from "./errors";
import { health } from "./http/health";
import { iceServers } from "./http/ice-servers";
import { onAppError } from "./http/on-error";
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
// Everything else is the static site. With run_worker_first limited to
// /api/* and the PeerJS path, the assets layer answers these before the
// Worker runs; this keeps the app whole when the Worker is called directly
// (tests, other configs).
app.all("*", (c) => c.env.ASSETS.fetch(c.req.raw));

app.onError(onAppError);
