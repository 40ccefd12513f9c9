// A proxy in front of `wrangler dev` that holds every WebSocket frame for a
// fixed time in each direction, as a distant server would: pages load from
// it, and their signaling crosses it. HTTP passes straight through.
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer, type RawData } from "ws";

export interface DelayProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => {
      const origin = req.headers.origin;
      const far = new WebSocket(`${target.replace("http", "ws")}${req.url}`, origin ? { headers: { origin } } : {});
      sockets.add(client).add(far);
      const later = (run: () => void) => setTimeout(run, delayMs);
      const early: { data: RawData; binary: boolean }[] = [];
      client.on("message", (data, binary) =>
        later(() => (far.readyState === WebSocket.OPEN ? far.send(data, { binary }) : early.push({ data, binary }))),
      );
      far.on("open", () => {
        for (const { data, binary } of early.splice(0)) far.send(data, { binary });
      });
      far.on("message", (data, binary) =>
        later(() => client.readyState === WebSocket.OPEN && client.send(data, { binary })),
      );
      const closeBoth = () =>
        later(() => {
          for (const ws of [client, far]) if (ws.readyState === WebSocket.OPEN) ws.close(1000);
        });
      client.on("close", closeBoth);
      far.on("close", closeBoth);
      far.on("error", () => client.terminate());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
