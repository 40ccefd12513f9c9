// Structured logs: one JSON object per line, so they can be searched and
// counted. Callers pass facts (event, room, peer, code), never secrets,
// tokens or SDP.

export type LogFields = { event: string } & Record<string, string | number | boolean | null | undefined>;

export function logWarn(fields: LogFields): void {
  console.warn(JSON.stringify({ level: "warn", ...fields }));
}

export function logError(fields: LogFields): void {
  console.error(JSON.stringify({ level: "error", ...fields }));
}
