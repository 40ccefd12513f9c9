// The shapes of the HTTP API's answers (README, "HTTP API").
import type { IceServer } from "./messages";

/** GET /api/rooms/{room} */
export interface RoomStatus {
  room: string;
  peers: number;
  capacity: number;
  /** Newcomers knock and wait to be admitted. */
  locked: boolean;
}

/**
 * GET /api/ice-servers: ICE servers for a connection check before joining,
 * minted for nobody in particular; counts against the address's join budget.
 */
export interface IceServersResponse {
  iceServers: IceServer[];
  /** When the TURN credentials expire (ms since epoch); null for STUN only. */
  iceServersExpireAt: number | null;
}
