// A loopback TCP relay in front of a signaling server, so a test can cut a
// page's socket the way a network does: the TCP connection just dies, with no
// WebSocket close frame from either side. Closing the socket from inside the
// page (or peer.disconnect()) would be a clean goodbye that the client and the
// server both see coming, which is not what reconnect() is for.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  /** Destroys every connection relayed so far (both halves); new ones are still accepted. */
  cut(): void;
  /** Connections relayed and still alive, for failure messages. */
  live(): number;
  stop(): Promise<void>;
}

const LISTEN_TIMEOUT_MS = 5_000;

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // Either half failing or ending takes the other with it, as one connection would.
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.setNoDelay(true);
      socket.on("error", drop);
      socket.on("close", drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`proxy did not listen within ${LISTEN_TIMEOUT_MS} ms`)),
      LISTEN_TIMEOUT_MS,
    );
    server.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.listen(0, "127.0.0.1", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("proxy has no port");

  const cut = () => {
    // resetAndDestroy sends an RST, so neither end gets a FIN it could mistake for a clean close.
    for (const [client, upstream] of [...pairs]) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  };

  return {
    port: address.port,
    cut,
    live: () => pairs.size,
    stop: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
