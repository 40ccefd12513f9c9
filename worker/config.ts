// Every configuration variable in one schema: its kind, its range and its
// default. Read once per isolate (per env object); a value that does not
// fit gets one `warn` line naming the variable and the default used instead,
// never the value (it may be a secret). README.md's configuration table is
// checked against this schema by a test.
import { emit, threshold, type Threshold } from "./log";

type Parsed<T> = { ok: true; value: T } | { ok: false };

interface VarSpec<T> {
  kind: "var" | "secret";
  /** What the README's table shows as the default. */
  shown: string;
  fallback: T;
  /** What the variable accepts, in words for the warning. */
  accepts: string;
  parse(raw: string): Parsed<T>;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = { ok: false } as const;

function integer(min: number, max: number, fallback: number): VarSpec<number> {
  return {
    kind: "var",
    shown: String(fallback),
    fallback,
    accepts: `a whole number ${min}-${max}`,
    parse: (raw) => {
      const n = Number(raw);
      return Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad;
    },
  };
}

function positive(max: number, fallback: number): VarSpec<number> {
  return {
    kind: "var",
    shown: String(fallback),
    fallback,
    accepts: `a number above 0, at most ${max}`,
    parse: (raw) => {
      const n = Number(raw);
      return Number.isFinite(n) && n > 0 && n <= max ? ok(n) : bad;
    },
  };
}

const flag: VarSpec<boolean> = {
  kind: "var",
  shown: "unset",
  fallback: false,
  accepts: "true or false",
  parse: (raw) => (raw === "true" ? ok(true) : raw === "false" ? ok(false) : bad),
};

function list(fallback: string[], accepts: string, item: RegExp): VarSpec<string[]> {
  return {
    kind: "var",
    shown: fallback.length === 0 ? "none" : fallback.join(","),
    fallback,
    accepts,
    parse: (raw) => {
      const items = raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      return items.length > 0 && items.every((s) => item.test(s)) ? ok(items) : bad;
    },
  };
}

const secret: VarSpec<string | null> = {
  kind: "secret",
  shown: "none",
  fallback: null,
  accepts: "a string",
  parse: (raw) => ok(raw),
};

const LOG_LEVELS = ["debug", "info", "warn", "error", "none"] as const;

export const SCHEMA = {
  ROOM_CAPACITY: integer(1, 50, 8),
  RESUME_GRACE_SECONDS: integer(0, 3600, 20),
  IDLE_TIMEOUT_SECONDS: integer(1, 3600, 60),
  ALLOWED_ORIGINS: list(
    ["http://localhost:*", "http://127.0.0.1:*"],
    "comma-separated origins like https://app.example or http://localhost:*",
    /^https?:\/\/([^/:]+|\[[^\]]+\])(:(\d+|\*))?\/?$/i,
  ),
  REQUIRE_ORIGIN: flag,
  // Who may put the room page in an <iframe> (docs/client.md, the iframe API):
  // it becomes the page's CSP frame-ancestors, so only plain origins are
  // accepted (no paths, quotes, spaces or semicolons that could end the directive).
  EMBED_ORIGINS: list(
    [],
    "comma-separated origins like https://app.example or http://localhost:*",
    /^https?:\/\/(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:(\d{1,5}|\*))?$/i,
  ),
  RATE_LIMIT_PER_SECOND: positive(1_000_000, 50),
  // Sized for the worst honest case: a peer joining an 8-peer mesh sends an
  // offer and trickled candidates to 7 peers at once (with clients that do
  // not batch candidates, 15+ frames each), and again on an ICE restart.
  RATE_LIMIT_BURST: integer(1, 1_000_000, 300),
  LOG_LEVEL: {
    kind: "var",
    shown: "info",
    fallback: "info",
    accepts: LOG_LEVELS.join(", "),
    parse: (raw) => {
      const level = raw.trim().toLowerCase();
      return (LOG_LEVELS as readonly string[]).includes(level) ? ok(level as Threshold) : bad;
    },
  } satisfies VarSpec<Threshold>,
  STUN_URLS: list(["stun:stun.cloudflare.com:3478"], "comma-separated stun:/stuns: URLs", /^stuns?:\S+$/i),
  TURN_URLS: list([], "comma-separated turn:/turns: URLs", /^turns?:\S+$/i),
  TURN_SECRET: secret,
  CF_TURN_KEY_ID: secret,
  CF_TURN_API_TOKEN: secret,
  // The floor is 60 s, or 10 s with TURN_TTL_ALLOW_SHORT (checked below).
  TURN_TTL: integer(10, 172_800, 3600),
  TURN_TTL_ALLOW_SHORT: flag,
  // The PeerJS endpoint (docs/peerjs.md), named as peerjs-server names its options.
  PEERJS_PATH: {
    kind: "var",
    shown: "/peerjs",
    fallback: "/peerjs",
    accepts: "a path like /peerjs or /apps/chat (not / or under /api)",
    parse: (raw) => {
      const path = raw.replace(/\/+$/, "");
      const segments = /^(\/[A-Za-z0-9._~-]+)+$/.test(path) && path.split("/");
      return segments && segments[1] !== "api" ? ok(path) : bad;
    },
  } satisfies VarSpec<string>,
  PEERJS_KEY: {
    kind: "var",
    shown: "peerjs",
    fallback: "peerjs",
    accepts: "1-64 characters of A-Z a-z 0-9 _ -",
    parse: (raw) => (/^[A-Za-z0-9_-]{1,64}$/.test(raw) ? ok(raw) : bad),
  } satisfies VarSpec<string>,
  PEERJS_DISCOVERY: flag,
  PEERJS_EXPIRE_TIMEOUT_SECONDS: integer(1, 300, 5),
  PEERJS_ALIVE_TIMEOUT_SECONDS: integer(1, 3600, 90),
} satisfies Record<string, VarSpec<unknown>>;

export type VarName = keyof typeof SCHEMA;
type Values = { [K in VarName]: (typeof SCHEMA)[K]["fallback"] };

export const MIN_TURN_TTL_SECONDS = 60;

/**
 * The per-address limits are bindings, not variables: their budgets live in
 * wrangler.toml's [[ratelimits]]. This is their `period` there, which is
 * what a 429's Retry-After says (a test keeps the two the same).
 */
export const LIMIT_WINDOW_SECONDS = 60;

export type TurnSettings =
  | { provider: "none"; stunUrls: string[] }
  | { provider: "shared-secret"; stunUrls: string[]; turnUrls: string[]; secret: string; ttlSeconds: number }
  | { provider: "cloudflare"; stunUrls: string[]; keyId: string; apiToken: string; ttlSeconds: number };

export interface Config {
  logLevel: Threshold;
  room: {
    capacity: number;
    /** How long a dropped peer keeps its seat, ms. */
    graceMs: number;
    /** How long a socket may stay silent (no frame, no ping), ms. */
    idleMs: number;
  };
  /** Per-socket frame budget. */
  frames: { ratePerSecond: number; burst: number };
  origins: {
    /** Patterns besides the request's own origin, which is always allowed. */
    allowed: string[];
    /** Refuse requests that carry no Origin at all. */
    requireOrigin: boolean;
    /** Origins whose pages may frame the room page, besides the site's own. */
    embedders: string[];
  };
  turn: TurnSettings;
  peerjs: {
    /** Where the endpoint lives, without a trailing slash (`/peerjs`). */
    path: string;
    key: string;
    /** Answer `GET {path}/{key}/peers` with the connected ids (else 401, as peerjs-server). */
    discovery: boolean;
    /** How long a frame for an absent id waits before its sender gets EXPIRE, ms. */
    expireMs: number;
    /** How long a socket may stay silent (no frame, no heartbeat) before its id is freed, ms. */
    aliveMs: number;
  };
}

/** The TURN provider is chosen by what is configured: Cloudflare, else a shared secret, else STUN only. */
function turnSettings(v: Values): TurnSettings {
  const stunUrls = v.STUN_URLS;
  if (v.CF_TURN_KEY_ID && v.CF_TURN_API_TOKEN) {
    return {
      provider: "cloudflare",
      stunUrls,
      keyId: v.CF_TURN_KEY_ID.trim(),
      apiToken: v.CF_TURN_API_TOKEN.trim(),
      ttlSeconds: v.TURN_TTL,
    };
  }
  if (v.TURN_SECRET && v.TURN_URLS.length > 0) {
    return {
      provider: "shared-secret",
      stunUrls,
      turnUrls: v.TURN_URLS,
      secret: v.TURN_SECRET,
      ttlSeconds: v.TURN_TTL,
    };
  }
  return { provider: "none", stunUrls };
}

function parseAll(env: object): Config {
  const raw = env as Record<string, unknown>;
  const values = {} as Record<string, unknown>;
  const invalid: { name: VarName; spec: VarSpec<unknown> }[] = [];
  for (const [name, spec] of Object.entries(SCHEMA) as [VarName, VarSpec<unknown>][]) {
    const text = raw[name];
    if (typeof text !== "string" || text.trim() === "") {
      values[name] = spec.fallback;
      continue;
    }
    const parsed = spec.parse(spec.kind === "secret" ? text : text.trim());
    values[name] = parsed.ok ? parsed.value : spec.fallback;
    if (!parsed.ok) invalid.push({ name, spec });
  }
  const v = values as Values;
  if (v.TURN_TTL < MIN_TURN_TTL_SECONDS && !v.TURN_TTL_ALLOW_SHORT) {
    v.TURN_TTL = SCHEMA.TURN_TTL.fallback;
    invalid.push({ name: "TURN_TTL", spec: { ...SCHEMA.TURN_TTL, accepts: `a whole number 60-172800` } });
  }
  const logLevel = v.LOG_LEVEL;
  for (const { name, spec } of invalid) {
    emit(threshold(logLevel), "warn", { event: "config-invalid", name, accepted: spec.accepts, using: spec.shown });
  }
  return {
    logLevel,
    room: { capacity: v.ROOM_CAPACITY, graceMs: v.RESUME_GRACE_SECONDS * 1000, idleMs: v.IDLE_TIMEOUT_SECONDS * 1000 },
    frames: { ratePerSecond: v.RATE_LIMIT_PER_SECOND, burst: v.RATE_LIMIT_BURST },
    origins: { allowed: v.ALLOWED_ORIGINS, requireOrigin: v.REQUIRE_ORIGIN, embedders: v.EMBED_ORIGINS },
    turn: turnSettings(v),
    peerjs: {
      path: v.PEERJS_PATH,
      key: v.PEERJS_KEY,
      discovery: v.PEERJS_DISCOVERY,
      expireMs: v.PEERJS_EXPIRE_TIMEOUT_SECONDS * 1000,
      aliveMs: v.PEERJS_ALIVE_TIMEOUT_SECONDS * 1000,
    },
  };
}

const cache = new WeakMap<object, Config>();

/** The configuration for this env: parsed (and warned about) the first time only. */
export function readConfig(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseAll(env);
    cache.set(env, config);
  }
  return config;
}
