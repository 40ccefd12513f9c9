import { Hono } from "hono";
import type { Env } from "../env";
import pkg from "../../package.json";

export const health = new Hono<{ Bindings: Env }>();

health.get("/", (c) => c.json({ ok: true, version: pkg.version }));
