// The PeerJS server protocol, as the `peerjs` client (1.5.x) speaks it and
// peerjs-server (the `peer` package, 1.0.x) answers it: Tincan's PeerJS
// endpoint (worker/peerjs, docs/peerjs.md) and its tests share these. The
// names and texts are the reference server's, because clients match on them.

/** The socket's path segment after the configured path: `{path}/peerjs?key=K&id=ID&token=T`. */
export const PEERJS_SOCKET_SEGMENT = "peerjs";

/** Frames a client sends that the server forwards to `dst`. */
export const PEERJS_FORWARDED = ["OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE"] as const;
export type PeerJsForwardedType = (typeof PEERJS_FORWARDED)[number];

/** Forwarded frames that are never kept for an absent id (the reference drops them too). */
export const PEERJS_NOT_QUEUED: ReadonlySet<PeerJsForwardedType> = new Set(["LEAVE", "EXPIRE"]);

export type PeerJsClientFrame =
  | { type: "HEARTBEAT" }
  | { type: "LEAVE"; dst?: undefined; payload?: unknown }
  | { type: PeerJsForwardedType; dst: string; payload?: unknown };

/** What the server sends. A forwarded frame always carries the `src` the server stamped. */
export type PeerJsServerFrame =
  | { type: "OPEN" }
  | { type: "ERROR"; payload: { msg: string } }
  | { type: "ID-TAKEN"; payload: { msg: string } }
  | { type: "HEARTBEAT" }
  | { type: PeerJsForwardedType; src: string; dst: string; payload?: unknown };

/**
 * The client's heartbeat, byte for byte (`JSON.stringify({type:"HEARTBEAT"})`),
 * answered by the runtime so a heartbeat never wakes an object. The client
 * ignores the echo: a server frame without a payload only logs at debug level.
 */
export const PEERJS_HEARTBEAT_FRAME = '{"type":"HEARTBEAT"}';

/** The reference server's error texts, which apps show and sometimes match. */
export const PeerJsError = {
  missingParameters: "No id, token, or key supplied to websocket server",
  invalidKey: "Invalid key provided",
  idTaken: "ID is taken",
} as const;

/**
 * Ids as the client accepts them (its own check, `validateId`), and a length
 * the reference never needed: a Durable Object name and a log field stay small.
 */
export const PEERJS_ID_MAX_LENGTH = 128;
export const PEERJS_ID_PATTERN = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/;
export const PEERJS_TOKEN_MAX_LENGTH = 128;

/**
 * The largest frame accepted. The reference takes anything `ws` takes
 * (100 MiB), which no signaling frame needs: an offer with every candidate
 * inlined is a few kB, and a Durable Object message is capped at 1 MiB.
 */
export const PEERJS_MAX_FRAME_BYTES = 64 * 1024;

/** `GET {path}`: the reference server's description, word for word. */
export const PEERJS_DESCRIPTION = {
  name: "PeerJS Server",
  description: "A server side element to broker connections between PeerJS clients.",
  website: "https://peerjs.com/",
} as const;
