import { Hono } from "hono";
import pkg from "../../package.json";
import { readConfig } from "../config";

export const health = new Hono<{ Bindings: Env }>();

// Says which TURN provider is in effect, never any of its settings.
health.get("/", (c) => c.json({ ok: true, version: pkg.version, turn: readConfig(c.env).turn.provider }));
