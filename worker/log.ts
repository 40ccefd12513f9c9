// Structured logs: one JSON object per line, so they can be searched and
// counted. Callers pass facts (event, room, peer, code), never secrets,
// tokens, SDP or stack traces. LOG_LEVEL (debug, info, warn, error, none;
// default info) sets the least severe level written.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = { event: string } & Record<string, string | number | boolean | null | undefined>;

const RANK: Record<LogLevel | "none", number> = { debug: 10, info: 20, warn: 30, error: 40, none: 100 };

function threshold(value: string | undefined): number {
  const level = (value ?? "info").trim().toLowerCase();
  return level in RANK ? RANK[level as LogLevel | "none"] : RANK.info;
}

export function log(env: { LOG_LEVEL?: string }, level: LogLevel, fields: LogFields): void {
  if (RANK[level] < threshold(env.LOG_LEVEL)) return;
  const line = JSON.stringify({ level, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else if (level === "info") console.info(line);
  else console.debug(line);
}
