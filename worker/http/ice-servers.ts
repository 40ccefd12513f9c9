// ICE servers for a page's connection check, before it joins a room: what a
// seat would get (TURN credentials included), for a throwaway identity.
// A join hands out the same (any client can open a socket), so this route
// is guarded as a join is: pages of other origins are refused, and each
// answer spends the address's join budget (it may cost a provider call).
// No CORS header: a page elsewhere could not read the answer anyway.
import { Hono, type Context } from "hono";
import { newPeerId, type IceServersResponse } from "../../protocol";
import { readConfig } from "../config";
import { mintIceServers } from "../turn";
import { joinLimit } from "./limits";
import { allowedOrigin } from "./origin";

/** Mints for a throwaway identity (`{label}-{random}`, the TURN username's tail) and answers it uncached. */
export async function answerIceServers(c: Context<{ Bindings: Env }>, label: string): Promise<Response> {
  const grant = await mintIceServers(readConfig(c.env), `${label}-${newPeerId()}`);
  c.header("Cache-Control", "no-store");
  return c.json({ iceServers: grant.iceServers, iceServersExpireAt: grant.expiresAt } satisfies IceServersResponse);
}

export const iceServers = new Hono<{ Bindings: Env }>();

iceServers.get("/", allowedOrigin("ask for ICE servers"), joinLimit, (c) => answerIceServers(c, "check"));
