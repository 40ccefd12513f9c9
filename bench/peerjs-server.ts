// The reference PeerJS server (the `peer` package, as `npx peerjs` runs it),
// in a process of its own so the benchmark can read its CPU from /proc.
// Mounted where Tincan serves its endpoint: path /peerjs, key "peerjs", so
// one client serves both (sockets at /peerjs/peerjs?key=peerjs&id=&token=).
import type { Server } from "node:http";
import { PeerServer } from "peer";

const port = Number(process.argv[2] ?? 0);

PeerServer(
  {
    port,
    host: "127.0.0.1",
    path: "/peerjs",
    key: "peerjs",
    // Its defaults: a frame for an id not connected yet waits 5 s, a socket
    // without a heartbeat for 90 s is closed. The benchmark never relies on either.
    expire_timeout: 5_000,
    alive_timeout: 90_000,
    // Above the benchmark's most sockets open at once (400 joins), so no
    // figure is a refusal.
    concurrent_limit: 5_000,
  },
  (server: Server) => {
    const address = server.address();
    console.log(`listening ${typeof address === "object" && address ? address.port : port}`);
  },
);
