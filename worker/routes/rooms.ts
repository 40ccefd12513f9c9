import { Hono, type Context } from "hono";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { log } from "../log";
import { normalizeRoomName } from "../../protocol";
import { isOriginAllowed, originPolicy } from "../security/origin";

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

rooms.get("/:room", async (c) => {
  const room = roomName(c);
  const info = await roomStub(c.env, room).info();
  return c.json({ room, peers: info.peers, capacity: info.capacity });
});

rooms.get("/:room/ws", async (c) => {
  const room = roomName(c);
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade-required", "this endpoint needs a WebSocket upgrade");
  }
  // Checked here, before any Durable Object is touched.
  if (!isOriginAllowed(c.req.header("Origin"), c.req.url, originPolicy(c.env))) {
    log(c.env, "warn", { event: "forbidden-origin", room, code: "forbidden-origin" });
    throw new ApiError(403, "forbidden-origin", "pages from this origin may not open room sockets");
  }
  const ip = c.req.header("CF-Connecting-IP") ?? "unknown";
  const verdict = await c.env.JOIN_LIMITER.get(c.env.JOIN_LIMITER.idFromName(ip)).take();
  if (!verdict.ok) {
    log(c.env, "warn", { event: "too-many-joins", room, code: "too-many-joins" });
    throw new ApiError(429, "too-many-joins", "too many joins from this address; try again shortly", {
      "Retry-After": String(verdict.retryAfter),
    });
  }
  // The object accepts the socket itself (Hibernation API); Hono's
  // upgradeWebSocket would pin the socket to this Worker and never hibernate.
  return roomStub(c.env, room).fetch(c.req.raw);
});
