// Signaling protocol v1: the single source of truth for every frame on the
// wire. The worker imports it to check and build frames, the site imports it
// to build and read them. Nothing here may touch DOM or Workers-only globals.
// docs/protocol.md describes the same thing for people writing other clients.

/** Largest frame the room accepts, in UTF-8 bytes. */
export const MAX_FRAME_BYTES = 64 * 1024;

/** Deepest nesting of objects and arrays the room relays in a signal's `data`. */
export const MAX_DATA_DEPTH = 16;

/**
 * Liveness frames. The room answers PING_FRAME with PONG_FRAME through the
 * runtime's auto-response, which never wakes a hibernated room, so the bytes
 * must match exactly.
 */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

/** Close codes the room uses besides the standard 1000. */
export const CloseCode = {
  normal: 1000,
  /** No free seat; sent after an `error` `room-full`. Do not reconnect. */
  roomFull: 4001,
  /** Another socket resumed this identity. Do not reconnect. */
  replaced: 4002,
  /** No frame and no ping for IDLE_TIMEOUT_SECONDS. The seat is kept: resume. */
  idle: 4003,
  /** Someone in the locked room said no to this knock; sent after an `error` `denied`. Do not reconnect. */
  denied: 4004,
  /** The locked room's lobby already holds LOBBY_CAPACITY knockers; sent after `lobby-full`. */
  lobbyFull: 4005,
  /** Sustained flooding. The seat is released. Do not reconnect at once. */
  rateLimited: 4008,
} as const;

/** How many people may wait in a locked room's lobby at once. */
export const LOBBY_CAPACITY = 8;

export interface PeerInfo {
  id: string;
  name: string;
}

/** Any JSON object; the room relays it without looking inside. */
export type SignalData = { [key: string]: unknown };

// ---- client → server -------------------------------------------------------

export interface SignalRequest {
  type: "signal";
  to: string;
  data: SignalData;
}

export interface LeaveRequest {
  type: "leave";
}

/** Normally answered by the auto-response; other spellings reach the room. */
export interface PingRequest {
  type: "ping";
}

/** Asks for fresh ICE server credentials (sent at ~80% of their lifetime). */
export interface IceServersRequest {
  type: "ice-servers";
}

/** From a seated peer: lock the room (newcomers knock) or unlock it (the waiting are let in). */
export interface LockRequest {
  type: "lock";
  locked: boolean;
}

/** From a seated peer: let a knocker in. The first answer to a knock wins. */
export interface AdmitRequest {
  type: "admit";
  peerId: string;
}

/** From a seated peer: turn a knocker away. */
export interface DenyRequest {
  type: "deny";
  peerId: string;
}

export type ClientMessage =
  SignalRequest | LeaveRequest | PingRequest | IceServersRequest | LockRequest | AdmitRequest | DenyRequest;
export type ClientMessageType = ClientMessage["type"];

// ---- server → client -------------------------------------------------------

export interface WelcomeMessage {
  type: "welcome";
  self: PeerInfo;
  /** The others already in the room, oldest first. */
  peers: PeerInfo[];
  capacity: number;
  iceServers: IceServer[];
  /** When the TURN credentials in iceServers expire (ms since epoch); null for STUN only. */
  iceServersExpireAt: number | null;
  /**
   * Reconnect with `?resume=<token>` to get this identity back after the
   * socket drops. A new token comes with every welcome; the old one is void.
   */
  resumeToken: string;
  /** true when this socket took over an identity (same id, nothing announced). */
  resumed: boolean;
  /** Newcomers knock and wait until someone inside admits them. */
  locked: boolean;
  /** Who locked it; null when the room is open. */
  lockedBy: string | null;
}

/** To every seated peer when someone locks or unlocks the room. */
export interface RoomMessage {
  type: "room";
  locked: boolean;
  by: string;
}

/** The first frame to a socket that joined a locked room: it waits, unseated, as `id`. */
export interface LobbyMessage {
  type: "lobby";
  /** The id it will have if admitted. */
  id: string;
}

/** To every seated peer: someone is waiting to be let in. */
export interface KnockMessage {
  type: "knock";
  peer: PeerInfo;
}

export type KnockOutcome = "admitted" | "denied" | "gone";

/** To every seated peer: a knock was answered, or the knocker left. */
export interface KnockEndedMessage {
  type: "knock-ended";
  peerId: string;
  outcome: KnockOutcome;
}

export interface PeerJoinedMessage {
  type: "peer-joined";
  peer: PeerInfo;
}

export interface PeerLeftMessage {
  type: "peer-left";
  peerId: string;
}

/**
 * To every other seated peer when `peerId` came back on a new socket while
 * the room still held its old one (its network changed under it): frames
 * sent to it just before may have gone into the old socket and been lost.
 * Presence is unchanged (it never left); a client re-sends what it still
 * waits on, such as an unanswered offer.
 */
export interface PeerResumedMessage {
  type: "peer-resumed";
  peerId: string;
}

export interface SignalMessage {
  type: "signal";
  from: string;
  data: SignalData;
}

export interface PongMessage {
  type: "pong";
}

/** Fresh ICE servers, in answer to an `ice-servers` request. */
export interface IceServersMessage {
  type: "ice-servers";
  iceServers: IceServer[];
  iceServersExpireAt: number | null;
}

export const ErrorCode = {
  badJson: "bad-json",
  badMessage: "bad-message",
  unknownType: "unknown-type",
  unknownPeer: "unknown-peer",
  tooLarge: "too-large",
  roomFull: "room-full",
  peerAwayOverflow: "peer-away-overflow",
  rateLimited: "rate-limited",
  /** A knocker may only `ping` and `leave` until someone admits it. */
  notAdmitted: "not-admitted",
  /** Someone in the room turned this knock away (close 4004 follows). */
  denied: "denied",
  /** An `admit` or `deny` for nobody waiting (answered already, or gone). */
  unknownKnock: "unknown-knock",
  lobbyFull: "lobby-full",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorMessage {
  type: "error";
  code: ErrorCode;
  message: string;
  /** Present with `unknown-peer` and `peer-away-overflow`: the addressee. */
  to?: string;
  /** Present with `unknown-knock`, and with `room-full` in answer to an `admit`: the knocker. */
  peerId?: string;
}

export type ServerMessage =
  | WelcomeMessage
  | PeerJoinedMessage
  | PeerLeftMessage
  | PeerResumedMessage
  | SignalMessage
  | PongMessage
  | IceServersMessage
  | ErrorMessage
  | RoomMessage
  | LobbyMessage
  | KnockMessage
  | KnockEndedMessage;

/** The RTCIceServer dictionary, spelled out so the worker needs no DOM types. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** One server frame, serialized. `satisfies` at call sites keeps it exact. */
export function encode(message: ServerMessage | ClientMessage): string {
  return JSON.stringify(message);
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
