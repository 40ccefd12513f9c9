// Runtime check of a PeerJS client's frames: the exact shape the types
// promise, or the reason for the ERROR frame its sender gets. Nothing the
// client sends is forwarded as it came: the server builds each frame anew
// from `type`, `dst` and `payload`, so a forged `src` never survives.
import * as v from "valibot";
import {
  PEERJS_FORWARDED,
  PEERJS_ID_MAX_LENGTH,
  PEERJS_ID_PATTERN,
  PEERJS_MAX_FRAME_BYTES,
  type PeerJsClientFrame,
} from "../../protocol/peerjs";
import { MAX_DATA_DEPTH } from "../../protocol";
import { exceedsByteLimit, jsonDepth } from "../security/json-limits";

/** An id as the client's own check accepts it (a socket's id always is one). */
export function isPeerJsId(id: string): boolean {
  return id.length <= PEERJS_ID_MAX_LENGTH && PEERJS_ID_PATTERN.test(id);
}

export type PeerJsParse = { ok: true; frame: PeerJsClientFrame } | { ok: false; reason: string };

const dst = v.pipe(
  v.string("must be a string"),
  v.minLength(1, "must not be empty"),
  v.maxLength(PEERJS_ID_MAX_LENGTH, `must be at most ${PEERJS_ID_MAX_LENGTH} characters`),
);

// `payload` is forwarded as the very value JSON.parse built, never copied
// key by key, so a `__proto__` key stays an inert own property.
const frameSchema = v.variant("type", [
  v.object({ type: v.literal("HEARTBEAT") }),
  // LEAVE without a destination is the client leaving the server.
  v.object({ type: v.literal("LEAVE"), dst: v.optional(v.undefined()), payload: v.optional(v.unknown()) }),
  v.object({ type: v.picklist(PEERJS_FORWARDED), dst, payload: v.optional(v.unknown()) }),
]);

const KNOWN = new Set<string>(["HEARTBEAT", ...PEERJS_FORWARDED]);

const fail = (reason: string): PeerJsParse => ({ ok: false, reason });

export function parsePeerJsFrame(frame: string | ArrayBuffer): PeerJsParse {
  if (typeof frame !== "string") return fail("binary frames are not accepted: send JSON text");
  if (exceedsByteLimit(frame, PEERJS_MAX_FRAME_BYTES)) {
    return fail(`message is larger than ${PEERJS_MAX_FRAME_BYTES} bytes and was dropped`);
  }
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return fail("message is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return fail("message must be a JSON object");
  const type: unknown = (json as { type?: unknown }).type;
  if (typeof type !== "string" || !KNOWN.has(type)) {
    return fail(
      typeof type === "string"
        ? `unknown message type ${JSON.stringify(type.slice(0, 32))}`
        : "field `type` must be a string",
    );
  }
  const result = v.safeParse(frameSchema, json);
  if (!result.success) {
    const issue = result.issues[0];
    return fail(`field \`${v.getDotPath(issue) ?? "message"}\` ${issue.message}`);
  }
  const parsed = result.output as PeerJsClientFrame;
  if ("payload" in parsed && jsonDepth(parsed.payload, MAX_DATA_DEPTH) > MAX_DATA_DEPTH) {
    return fail(`field \`payload\` is nested deeper than ${MAX_DATA_DEPTH} levels`);
  }
  return { ok: true, frame: parsed };
}
