// The classic Node `ws` signaling relay, written for the benchmark so Tincan
// has something honest to be measured against: one process, rooms in a Map,
// `signal` relayed to the addressee with `from` stamped, presence frames.
// Same URL and frames as Tincan; none of its checks, limits, resume or TURN.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";

interface Peer {
  id: string;
  name: string;
  ws: WebSocket;
}

const rooms = new Map<string, Map<string, Peer>>();
const port = Number(process.argv[2] ?? 0);

const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"ok":true}');
});
const wss = new WebSocketServer({ server });

wss.on("connection", (ws, req) => {
  const url = new URL(req.url ?? "/", "http://relay");
  const room = /^\/api\/rooms\/([^/]+)\/ws$/.exec(url.pathname)?.[1]?.toLowerCase() ?? "lobby";
  const peers = rooms.get(room) ?? new Map<string, Peer>();
  rooms.set(room, peers);
  const me: Peer = { id: randomBytes(12).toString("base64url"), name: url.searchParams.get("name") ?? "Guest", ws };
  const info = (p: Peer) => ({ id: p.id, name: p.name });
  ws.send(
    JSON.stringify({
      type: "welcome",
      self: info(me),
      peers: [...peers.values()].map(info),
      capacity: 8,
      iceServers: [],
    }),
  );
  for (const p of peers.values()) p.ws.send(JSON.stringify({ type: "peer-joined", peer: info(me) }));
  peers.set(me.id, me);

  ws.on("message", (raw) => {
    const text = raw.toString();
    if (text === '{"type":"ping"}') return void ws.send('{"type":"pong"}');
    let message: { type?: string; to?: string; data?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return void ws.send('{"type":"error","code":"bad-json","message":"not JSON"}');
    }
    if (message.type === "signal" && typeof message.to === "string") {
      const target = peers.get(message.to);
      if (target) target.ws.send(JSON.stringify({ type: "signal", from: me.id, data: message.data }));
      else ws.send(JSON.stringify({ type: "error", code: "unknown-peer", message: "no such peer", to: message.to }));
    }
  });
  ws.on("close", () => {
    peers.delete(me.id);
    for (const p of peers.values()) p.ws.send(JSON.stringify({ type: "peer-left", peerId: me.id }));
    if (peers.size === 0) rooms.delete(room);
  });
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : port}`);
});
