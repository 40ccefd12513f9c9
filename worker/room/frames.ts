// Runtime check of client frames. The room never trusts a cast of JSON.parse:
// every frame goes through parseClientFrame, which either returns a message
// of the exact shape the types promise or an error frame for the sender.
import * as v from "valibot";
import {
  ErrorCode,
  MAX_DATA_DEPTH,
  MAX_FRAME_BYTES,
  type ClientMessage,
  type ClientMessageType,
  type ErrorMessage,
  type SignalData,
} from "../../protocol";
import { PEER_ID_MAX_LENGTH } from "../../protocol";
import { exceedsByteLimit, jsonDepth } from "../security/json-limits";

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: ErrorMessage };

// `data` is relayed as the very object JSON.parse built. Checking it with a
// predicate instead of v.record means it is never copied key by key, so a
// `__proto__` key stays an inert own property.
const signalData = v.custom<SignalData>(
  (input) => typeof input === "object" && input !== null && !Array.isArray(input),
  "must be a JSON object",
);

const peerId = v.pipe(
  v.string("must be a string"),
  v.minLength(1, "must not be empty"),
  v.maxLength(PEER_ID_MAX_LENGTH, `must be at most ${PEER_ID_MAX_LENGTH} characters`),
);

// v.object drops unknown keys, which is how a forged `from` disappears.
const schemas = {
  signal: v.object({ type: v.literal("signal"), to: peerId, data: signalData }),
  leave: v.object({ type: v.literal("leave") }),
  ping: v.object({ type: v.literal("ping") }),
  "ice-servers": v.object({ type: v.literal("ice-servers") }),
  lock: v.object({ type: v.literal("lock"), locked: v.boolean("must be true or false") }),
  admit: v.object({ type: v.literal("admit"), peerId }),
  deny: v.object({ type: v.literal("deny"), peerId }),
} satisfies { [T in ClientMessageType]: v.GenericSchema<unknown, Extract<ClientMessage, { type: T }>> };

function isKnownType(type: string): type is ClientMessageType {
  return Object.hasOwn(schemas, type);
}

function fail(code: ErrorCode, message: string): ParseResult {
  return { ok: false, error: { type: "error", code, message } };
}

/** Whether a room frame is over MAX_FRAME_BYTES of UTF-8. */
export function exceedsFrameLimit(frame: string): boolean {
  return exceedsByteLimit(frame, MAX_FRAME_BYTES);
}

export function parseClientFrame(frame: string | ArrayBuffer): ParseResult {
  if (typeof frame !== "string") {
    return fail(ErrorCode.badMessage, "binary frames are not accepted: send JSON text");
  }
  if (exceedsFrameLimit(frame)) {
    return fail(ErrorCode.tooLarge, `frame is larger than ${MAX_FRAME_BYTES} bytes and was dropped`);
  }
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return fail(ErrorCode.badJson, "frame is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return fail(ErrorCode.badMessage, "frame must be a JSON object");
  }
  const type: unknown = (json as { type?: unknown }).type;
  if (typeof type !== "string") {
    return fail(ErrorCode.badMessage, "field `type` must be a string");
  }
  if (!isKnownType(type)) {
    return fail(ErrorCode.unknownType, `unknown message type ${JSON.stringify(type.slice(0, 32))}`);
  }
  const result = v.safeParse(schemas[type], json);
  if (!result.success) {
    const issue = result.issues[0];
    const field = v.getDotPath(issue) ?? "frame";
    return fail(ErrorCode.badMessage, `field \`${field}\` ${issue.message}`);
  }
  const message = result.output;
  if (message.type === "signal" && jsonDepth(message.data, MAX_DATA_DEPTH) > MAX_DATA_DEPTH) {
    return fail(ErrorCode.badMessage, `field \`data\` is nested deeper than ${MAX_DATA_DEPTH} levels`);
  }
  return { ok: true, message };
}
