// The file-transfer conversation on the `tincan-files` channel: JSON control
// text messages, and the file itself as binary messages in between. One
// transfer at a time per direction, so a binary message needs no header.
import { boundedString, readJsonRecord } from "./record";

/** Small enough for every browser's data channels to pass unsplit (Chromium refuses sends over 256 KiB). */
export const CHUNK_BYTES = 16 * 1024;
/** A sender stops queueing above this and resumes when the buffer drains below the low mark. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
export const LOW_WATER_BYTES = 1024 * 1024;
/** The most a sender ever has queued in its channel. */
export const MAX_BUFFERED_BYTES = HIGH_WATER_BYTES + CHUNK_BYTES;

export const MAX_FILE_ID_CHARS = 64;
export const MAX_FILE_NAME_CHARS = 255;
export const MAX_MIME_CHARS = 100;
/** Largest control message a page reads (an offer with a 255-character name, all escaped, fits). */
export const MAX_FILE_CONTROL_CHARS = 4 * 1024;

export type FileControl =
  | { kind: "offer"; id: string; name: string; size: number; mime: string }
  | { kind: "accept"; id: string }
  | { kind: "decline"; id: string }
  | { kind: "end"; id: string; sha256: string }
  | { kind: "cancel"; id: string };

const FILE_ID = /^[A-Za-z0-9_-]+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A control message from a peer, checked field by field, or null. Never throws. */
export function readFileControl(data: unknown): FileControl | null {
  const value = readJsonRecord(data, MAX_FILE_CONTROL_CHARS);
  if (value === null) return null;
  const id = boundedString(value["id"], 1, MAX_FILE_ID_CHARS);
  if (id === null || !FILE_ID.test(id)) return null;
  const kind = value["kind"];
  switch (kind) {
    case "offer": {
      const name = boundedString(value["name"], 1, MAX_FILE_NAME_CHARS);
      const { size, mime = "" } = value;
      if (name === null || typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return null;
      if (boundedString(mime, 0, MAX_MIME_CHARS) === null) return null;
      return { kind, id, name, size, mime: mime as string };
    }
    case "end": {
      const sha256 = value["sha256"];
      return typeof sha256 === "string" && SHA256_HEX.test(sha256) ? { kind, id, sha256 } : null;
    }
    case "accept":
    case "decline":
    case "cancel":
      return { kind, id };
    default:
      return null;
  }
}
