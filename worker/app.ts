import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { readConfig } from "./config";
import { errorResponse } from "./errors";
import { health } from "./http/health";
import { iceServers } from "./http/ice-servers";
import { rooms } from "./http/rooms";
import { log } from "./log";

const api = new Hono<{ Bindings: Env }>();
api.route("/health", health);
api.route("/rooms", rooms);
api.route("/ice-servers", iceServers);
api.all("*", () => errorResponse(404, "not-found", "no such API endpoint"));

export const app = new Hono<{ Bindings: Env }>();
app.route("/api", api);
// Everything else is the static site. With run_worker_first limited to
// /api/* the assets layer answers these before the Worker runs; this keeps
// the app whole when the Worker is called directly (tests, other configs).
app.all("*", (c) => c.env.ASSETS.fetch(c.req.raw));

app.onError((err, c) => {
  if (err instanceof HTTPException) return err.getResponse();
  // Log for the operator (the message only, no stack); the client learns nothing.
  log(readConfig(c.env), "error", {
    event: "internal-error",
    path: c.req.path,
    error: err instanceof Error ? err.message : "unknown",
  });
  return errorResponse(500, "internal", "something went wrong on our side");
});
