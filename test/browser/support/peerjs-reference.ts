// The reference PeerJS server (npm `peer`), in this process on a free
// loopback port: what "compatible" is measured against.
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { PeerServer } from "peer";

export interface ReferenceOptions {
  path: string;
  key: string;
  expireTimeoutMs: number;
  aliveTimeoutMs: number;
}

export interface ReferenceServer {
  port: number;
  stop(): Promise<void>;
}

const LISTEN_TIMEOUT_MS = 10_000;

export async function startReferenceServer(options: ReferenceOptions): Promise<ReferenceServer> {
  // PeerServer hands out its http.Server only through the listen callback, and
  // has no stop of its own: closing is done on that server.
  const server = await new Promise<Server>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`peer server did not listen within ${LISTEN_TIMEOUT_MS} ms`)),
      LISTEN_TIMEOUT_MS,
    );
    PeerServer(
      {
        host: "127.0.0.1",
        // Port 0: the kernel picks a free one, with no window for another process to take it.
        port: 0,
        path: options.path,
        key: options.key,
        expire_timeout: options.expireTimeoutMs,
        alive_timeout: options.aliveTimeoutMs,
        allow_discovery: false,
      },
      (listening) => {
        clearTimeout(timer);
        resolve(listening as Server);
      },
    );
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("peer server has no port");

  // Upgraded WebSocket connections are no longer the http server's to close,
  // so every socket is tracked to end them all on stop.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
