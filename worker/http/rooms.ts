// The room API: a room's status (for the page's "room full" check) and the
// WebSocket into it. Every check runs here, before a Durable Object is
// touched: the name, the upgrade, the origin, the per-address budget.
import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import { normalizeRoomName, type RoomStatus } from "../../protocol";
import { readConfig } from "../config";
import { ApiError } from "../errors";
import { log } from "../log";
import { joinLimit, limitPerAddress } from "./limits";
import { allowedOrigin } from "./origin";

type RoomContext = Context<{ Bindings: Env }, "/:room" | "/:room/ws">;

export const rooms = new Hono<{ Bindings: Env }>();

/** The canonical room name from the path, or a 400 `bad-room`. */
function roomName(c: RoomContext): string {
  const room = normalizeRoomName(c.req.param("room"));
  if (room === null) {
    throw new ApiError(400, "bad-room", "a room name is 1-64 characters of A-Z a-z 0-9 _ - (and not `api`)");
  }
  return room;
}

function roomStub(env: Env, room: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(room));
}

const validName = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  roomName(c as RoomContext);
  await next();
});

const upgradeOnly = createMiddleware<{ Bindings: Env }>(async (c, next) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade-required", "this endpoint needs a WebSocket upgrade");
  }
  await next();
});

const socketOrigin = allowedOrigin("open room sockets", (c) => ({ room: roomName(c as RoomContext) }));

const lookups = limitPerAddress({
  binding: (env) => env.ROOM_INFO_LIMIT,
  code: "too-many-requests",
  message: "too many room lookups from this address; try again shortly",
});

rooms.get("/:room", validName, lookups, async (c) => {
  const room = roomName(c);
  const info = await roomStub(c.env, room).info();
  return c.json({ room, peers: info.peers, capacity: info.capacity, locked: info.locked } satisfies RoomStatus);
});

rooms.get("/:room/ws", validName, upgradeOnly, socketOrigin, joinLimit, async (c) => {
  // The object accepts the socket itself (Hibernation API); Hono's
  // upgradeWebSocket would pin the socket to this Worker and never hibernate.
  return roomStub(c.env, roomName(c)).fetch(c.req.raw);
});
