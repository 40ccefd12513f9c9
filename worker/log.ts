// Structured logs: one JSON object per line, so they can be searched and
// counted. Callers pass facts (event, room, peer, code), never secrets,
// tokens, SDP or stack traces. LOG_LEVEL (debug, info, warn, error, none;
// default info) sets the least severe level written.

export type LogLevel = "debug" | "info" | "warn" | "error";
/** The least severe level written; `none` writes nothing. */
export type Threshold = LogLevel | "none";
export type LogFields = { event: string } & Record<string, string | number | boolean | null | undefined>;

const RANK: Record<Threshold, number> = { debug: 10, info: 20, warn: 30, error: 40, none: 100 };

export function threshold(level: Threshold): number {
  return RANK[level];
}

/** Writes one line if `level` is at or above `min` (a rank from threshold()). */
export function emit(min: number, level: LogLevel, fields: LogFields): void {
  if (RANK[level] < min) return;
  const line = JSON.stringify({ level, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else if (level === "info") console.info(line);
  else console.debug(line);
}

/** Logs under the configured LOG_LEVEL (pass the Config, or anything with its logLevel). */
export function log(config: { logLevel: Threshold }, level: LogLevel, fields: LogFields): void {
  emit(RANK[config.logLevel], level, fields);
}
