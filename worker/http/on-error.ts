// What every app of the Worker answers when a handler throws: an
// HTTPException's own response, else a bare 500 and one log line with the
// message only (no stack); the client learns nothing.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { readConfig } from "../config";
import { errorResponse } from "../errors";
import { log } from "../log";

export function onAppError(err: Error, c: Context<{ Bindings: Env }>): Response {
  if (err instanceof HTTPException) return err.getResponse();
  log(readConfig(c.env), "error", {
    event: "internal-error",
    path: c.req.path,
    error: err instanceof Error ? err.message : "unknown",
  });
  return errorResponse(500, "internal", "something went wrong on our side");
}
