// The one shape guard every peer-format reader starts from. Everything a
// peer sends is untrusted: it may be any JSON value, or not JSON at all.

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The JSON object in a data-channel text message, or null: binary data, more
 * than `maxChars` UTF-16 code units (checked before parsing, so a huge or
 * deeply nested message costs nothing), not JSON, or JSON that is not an
 * object. Never throws.
 */
export function readJsonRecord(data: unknown, maxChars: number): Record<string, unknown> | null {
  if (typeof data !== "string" || data.length > maxChars) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  return isRecord(value) ? value : null;
}

/** A string of `min`..`max` UTF-16 code units, or null. */
export function boundedString(value: unknown, min: number, max: number): string | null {
  return typeof value === "string" && value.length >= min && value.length <= max ? value : null;
}
