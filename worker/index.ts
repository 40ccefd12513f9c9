import { app } from "./app";

export { Room } from "./room/room";
export { PeerJsPeer } from "./peerjs/peer";
export { PeerJsDirectory } from "./peerjs/directory";

export default app;
