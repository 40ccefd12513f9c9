// The file-transfer conversation on a peer's "tincan-files" data channel:
// JSON control frames, and the file itself as binary chunks in between
// (one transfer at a time per direction, so chunks need no header).

/** Small enough for every browser's data channels to pass through unsplit. */
export const CHUNK_BYTES = 16 * 1024;
/** Stop queueing above this; resume when the buffer drains below the low mark. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
export const LOW_WATER_BYTES = 1024 * 1024;
/** The most a sender ever has queued in its channel. */
export const MAX_BUFFERED_BYTES = HIGH_WATER_BYTES + CHUNK_BYTES;

export type FileControl =
  | { kind: "offer"; id: string; name: string; size: number; mime: string }
  | { kind: "accept"; id: string }
  | { kind: "decline"; id: string }
  | { kind: "end"; id: string; sha256: string }
  | { kind: "cancel"; id: string };

const KINDS = new Set(["offer", "accept", "decline", "end", "cancel"]);

/** A control frame from a peer, checked field by field, or null. */
export function readFileControl(data: string): FileControl | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { kind, id } = value;
  if (typeof kind !== "string" || !KINDS.has(kind) || typeof id !== "string" || id.length > 64) return null;
  if (kind === "offer") {
    const { name, size, mime } = value;
    if (typeof name !== "string" || typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return null;
    return { kind, id, name: name.slice(0, 255), size, mime: typeof mime === "string" ? mime.slice(0, 100) : "" };
  }
  if (kind === "end") {
    return typeof value["sha256"] === "string" ? { kind, id, sha256: value["sha256"] } : null;
  }
  return { kind: kind as "accept" | "decline" | "cancel", id };
}

export async function sha256Hex(data: ArrayBuffer | Blob): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
