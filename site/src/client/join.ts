// joinRoom: a seat in a Tincan room, or a JoinError saying why not;
// openRoom: the same Room at once, for a page that shows the joining.
import type { RoomStatus } from "../../../protocol";
import { Call } from "../call/call";
import { SentMedia } from "../call/call-media";
import { roomUrl, type WebSocketConstructor } from "../net/signaling";
import { JoinError, type JoinErrorCode } from "./errors";
import { Room } from "./room";

export interface JoinOptions {
  /** The name to show; the room may shorten it or pick one when empty. */
  name?: string;
  /**
   * What to send: a stream the app owns (its first audio and video tracks),
   * or null/absent to receive only; or a SentMedia of its own making, for an
   * app that manages devices itself (as Tincan's room page does).
   */
  media?: MediaStream | SentMedia | null;
  /** Connect through TURN relays only (hides addresses from peers; costs relay bandwidth). */
  relayOnly?: boolean;
  /** false: video senders as the browser chooses, instead of budgets by room size. */
  senderBudgets?: boolean;
  /** Called when the room is locked and we knock: joinRoom resolves once someone admits us. */
  onWaiting?: () => void;
  /** Stops trying (or knocking): joinRoom rejects with `left`. */
  signal?: AbortSignal;
  /** Injection points (tests, runtimes without these globals). */
  WebSocket?: WebSocketConstructor;
  RTCPeerConnection?: typeof RTCPeerConnection;
  fetch?: typeof fetch;
}

/**
 * Joins `roomName` on the Tincan server at `serverUrl` and resolves once the
 * room has seated us, with everyone already there in `room.peers`. A socket
 * that cannot reach the room rejects at its first failure (the page keeps
 * retrying instead; an app decides for itself).
 */
export function joinRoom(serverUrl: string | URL, roomName: string, options: JoinOptions = {}): Promise<Room> {
  const server = String(serverUrl);
  const { room, call } = open(server, roomName, options);
  return new Promise<Room>((resolve, reject) => {
    const stops: (() => void)[] = [];
    let settled = false;
    // A retry may seat us while the refusal is still being looked into: the first outcome wins.
    const settle = (error: JoinError | null) => {
      if (settled) return;
      settled = true;
      for (const stop of stops) stop();
      options.signal?.removeEventListener("abort", abort);
      if (error === null) {
        resolve(room);
        return;
      }
      call.leave();
      reject(error);
    };
    const abort = () => settle(new JoinError("left"));
    if (options.signal?.aborted) {
      abort();
      return;
    }
    options.signal?.addEventListener("abort", abort);
    stops.push(
      call.on("joined", () => settle(null)),
      call.on("end", (reason) => settle(new JoinError(reason))),
      call.state.subscribe((next, previous) => {
        if (next.waiting && !previous.waiting) options.onWaiting?.();
        // The first socket failed before any welcome: say why, if the server will tell.
        if (next.signaling.phase === "reconnecting" && previous.signaling.phase === "connecting") {
          void whyRefused(server, roomName, options.fetch ?? fetch).then((code) => settle(new JoinError(code)));
        }
      }),
    );
  });
}

/**
 * The Room at once, joining: `joined` says when it is seated, `change` shows
 * the way there (connecting, knocking at a lock), and `left` says if it
 * never will be. The socket keeps retrying a room it cannot reach. For apps
 * that show the joining themselves; the others await joinRoom.
 */
export function openRoom(serverUrl: string | URL, roomName: string, options: JoinOptions = {}): Room {
  return open(String(serverUrl), roomName, options).room;
}

function open(server: string, roomName: string, options: JoinOptions): { room: Room; call: Call } {
  const media = options.media instanceof SentMedia ? options.media : new SentMedia(options.media ?? null);
  const call = new Call({
    server,
    room: roomName,
    name: options.name ?? "",
    media,
    relayOnly: options.relayOnly === true,
    senderBudgets: options.senderBudgets !== false,
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    ...(options.RTCPeerConnection ? { RTCPeerConnection: options.RTCPeerConnection } : {}),
  });
  return { room: new Room(call, media), call };
}

/** Who is in a room before joining it (how many, how many fit, whether it is locked); null if the server will not say. */
export async function roomStatus(
  serverUrl: string | URL,
  roomName: string,
  fetchFn: typeof fetch = fetch,
): Promise<RoomStatus | null> {
  try {
    const response = await fetchFn(roomUrl(String(serverUrl), roomName));
    return response.ok ? readRoomStatus(await response.json()) : null;
  } catch {
    return null;
  }
}

/** The answer as the server documents it, or null: a proxy's page or another server's JSON is not a status. */
function readRoomStatus(value: unknown): RoomStatus | null {
  const v = (typeof value === "object" && value !== null ? value : {}) as Partial<Record<keyof RoomStatus, unknown>>;
  const { room, peers, capacity, locked } = v;
  return typeof room === "string" &&
    typeof peers === "number" &&
    typeof capacity === "number" &&
    typeof locked === "boolean"
    ? { room, peers, capacity, locked }
    : null;
}

/**
 * A browser hides why a WebSocket upgrade was refused; the room's HTTP
 * endpoint answers the same checks (origin, join budget) in words a client
 * can read, where CORS lets it.
 */
async function whyRefused(server: string, room: string, fetchFn: typeof fetch): Promise<JoinErrorCode> {
  try {
    const response = await fetchFn(roomUrl(server, room));
    if (response.ok) return "network";
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const code = body?.error;
    if (code === "forbidden-origin" || code === "too-many-joins") return code;
  } catch {
    // Unreachable, or CORS hides the answer.
  }
  return "network";
}
