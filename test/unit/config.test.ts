// One schema for every variable: defaults, ranges, one warning per bad
// value (never the value), and the README's table kept to the schema.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LIMIT_WINDOW_SECONDS, SCHEMA, readConfig } from "../../worker/config";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("configuration", () => {
  it("gives every default with nothing set", () => {
    expect(readConfig({})).toEqual({
      logLevel: "info",
      room: { capacity: 8, graceMs: 20_000, idleMs: 60_000 },
      frames: { ratePerSecond: 50, burst: 300 },
      origins: { allowed: ["http://localhost:*", "http://127.0.0.1:*"], requireOrigin: false, embedders: [] },
      turn: { provider: "none", stunUrls: ["stun:stun.cloudflare.com:3478"] },
      peerjs: { path: "/peerjs", key: "peerjs", discovery: false, expireMs: 5_000, aliveMs: 90_000 },
    });
  });

  it("reads the PeerJS endpoint's settings, and refuses paths it could not own", () => {
    const config = readConfig({
      PEERJS_PATH: "/apps/chat/",
      PEERJS_KEY: "my-app",
      PEERJS_DISCOVERY: "true",
      PEERJS_EXPIRE_TIMEOUT_SECONDS: "10",
      PEERJS_ALIVE_TIMEOUT_SECONDS: "60",
    });
    expect(config.peerjs).toEqual({
      path: "/apps/chat",
      key: "my-app",
      discovery: true,
      expireMs: 10_000,
      aliveMs: 60_000,
    });
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    for (const path of ["/", "", "peerjs", "/api", "/api/peerjs", "/a//b", "/a b", "/a?x"]) {
      expect(readConfig({ PEERJS_PATH: path }).peerjs.path, path).toBe("/peerjs");
    }
    expect(readConfig({ PEERJS_KEY: "a/b" }).peerjs.key).toBe("peerjs");
  });

  it("reads good values", () => {
    const config = readConfig({
      ROOM_CAPACITY: "3",
      RESUME_GRACE_SECONDS: "0",
      IDLE_TIMEOUT_SECONDS: "5",
      RATE_LIMIT_PER_SECOND: "2.5",
      RATE_LIMIT_BURST: "10",
      REQUIRE_ORIGIN: "true",
      ALLOWED_ORIGINS: "https://app.example, http://dev.example:*",
      EMBED_ORIGINS: "https://school.example,http://127.0.0.1:8080",
      LOG_LEVEL: "DEBUG",
    });
    expect(config.room).toEqual({ capacity: 3, graceMs: 0, idleMs: 5_000 });
    expect(config.frames).toEqual({ ratePerSecond: 2.5, burst: 10 });
    expect(config.origins).toEqual({
      allowed: ["https://app.example", "http://dev.example:*"],
      requireOrigin: true,
      embedders: ["https://school.example", "http://127.0.0.1:8080"],
    });
    expect(config.logLevel).toBe("debug");
  });

  it("warns once per bad variable, naming it and the default used, never its value", () => {
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(line));
    const env = { ROOM_CAPACITY: "51", IDLE_TIMEOUT_SECONDS: "soon", TURN_URLS: "http://not-turn", TURN_TTL: "30" };
    const config = readConfig(env);
    expect(config.room.capacity).toBe(8);
    expect(config.room.idleMs).toBe(60_000);
    expect(lines.map((l) => JSON.parse(l) as Record<string, string>)).toEqual([
      { level: "warn", event: "config-invalid", name: "ROOM_CAPACITY", accepted: "a whole number 1-50", using: "8" },
      {
        level: "warn",
        event: "config-invalid",
        name: "IDLE_TIMEOUT_SECONDS",
        accepted: "a whole number 1-3600",
        using: "60",
      },
      {
        level: "warn",
        event: "config-invalid",
        name: "TURN_URLS",
        accepted: "comma-separated turn:/turns: URLs",
        using: "none",
      },
      { level: "warn", event: "config-invalid", name: "TURN_TTL", accepted: "a whole number 60-172800", using: "3600" },
    ]);
    expect(lines.join("\n")).not.toContain("not-turn");
    // Read once: the same env never warns again.
    readConfig(env);
    expect(lines).toHaveLength(4);
  });

  it("lowers TURN_TTL's floor to 10 s only with TURN_TTL_ALLOW_SHORT", () => {
    const ttl = (vars: Record<string, string>) => {
      const turn = readConfig({ TURN_SECRET: "s", TURN_URLS: "turn:t.example:3478", ...vars }).turn;
      return turn.provider === "shared-secret" ? turn.ttlSeconds : null;
    };
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(ttl({ TURN_TTL: "20", TURN_TTL_ALLOW_SHORT: "true" })).toBe(20);
    expect(ttl({ TURN_TTL: "9", TURN_TTL_ALLOW_SHORT: "true" })).toBe(3600);
    expect(ttl({ TURN_TTL: "20" })).toBe(3600);
  });

  it("is the table README.md documents: every variable, with its kind and default", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Deploy"));
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` +\| (var|secret) +\| (`[^`]*`|unset|none) +\|/gm)].map((m) => ({
      name: m[1],
      kind: m[2],
      shown: m[3]!.replaceAll("`", ""),
    }));
    expect(rows).toEqual(Object.entries(SCHEMA).map(([name, spec]) => ({ name, kind: spec.kind, shown: spec.shown })));
  });

  it("sends every request but the bundle's own files to the Worker first: the API, PeerJS at any path, the HTML's headers", () => {
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    const patterns = JSON.parse(/^run_worker_first = (\[.*\])$/m.exec(toml)?.[1] ?? "[]") as string[];
    expect(patterns[0]).toBe("/*");
    expect(patterns.length).toBeGreaterThan(1);
    for (const skipped of patterns.slice(1)) expect(skipped).toMatch(/^!\/(app\.js|app\.js\.map|app\.css|embed\.js)$/);
  });

  it("keeps wrangler.toml's rate-limit windows and the Retry-After the API answers the same", () => {
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    const periods = [...toml.matchAll(/^simple = \{ limit = \d+, period = (\d+) \}$/gm)].map((m) => Number(m[1]));
    expect(periods).toEqual([LIMIT_WINDOW_SECONDS, LIMIT_WINDOW_SECONDS]);
  });
});
