import { Hono } from "hono";
import type { Env } from "../env";
import pkg from "../../package.json";
import { turnProvider } from "../turn";

export const health = new Hono<{ Bindings: Env }>();

// Says which TURN provider is in effect, never any of its settings.
health.get("/", (c) => c.json({ ok: true, version: pkg.version, turn: turnProvider(c.env) }));
