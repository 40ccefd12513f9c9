// The yardstick: the barest hibernating Durable Object relay there is.
// It accepts a socket with its peer id as tag, says who is there, parses a
// frame with JSON.parse, finds the addressee with getWebSockets(to) and
// sends. No checks, no limits, no storage, no resume, no TURN: whatever
// Tincan's Room costs beyond this is Tincan's own, measured in the same
// `wrangler dev` in the same run.
import { DurableObject } from "cloudflare:workers";

interface Tag {
  id: string;
  name: string;
}

export class BareRoom extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    const name = new URL(request.url).searchParams.get("name") ?? "Guest";
    const id = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
    const { 0: client, 1: server } = new WebSocketPair();
    const others = this.ctx.getWebSockets();
    this.ctx.acceptWebSocket(server, [id]);
    server.serializeAttachment({ id, name } satisfies Tag);
    const peers = others.map((ws) => ws.deserializeAttachment() as Tag);
    server.send(JSON.stringify({ type: "welcome", self: { id, name }, peers, capacity: 8, iceServers: [] }));
    const joined = JSON.stringify({ type: "peer-joined", peer: { id, name } });
    for (const ws of others) ws.send(joined);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    const frame = JSON.parse(message as string) as { type: string; to: string; data: unknown };
    if (frame.type !== "signal") return;
    const { id } = ws.deserializeAttachment() as Tag;
    const out = JSON.stringify({ type: "signal", from: id, data: frame.data });
    for (const target of this.ctx.getWebSockets(frame.to)) target.send(out);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    const { id } = ws.deserializeAttachment() as Tag;
    const left = JSON.stringify({ type: "peer-left", peerId: id });
    for (const other of this.ctx.getWebSockets()) if (other !== ws) other.send(left);
  }
}
