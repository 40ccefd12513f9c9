import { app } from "./app";

export { Room } from "./room/room";

export default app;
