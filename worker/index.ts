import { app } from "./app";

export { Room } from "./room/room";
export { JoinLimiter } from "./security/join-limiter";

export default app;
