// The first frame on every seated socket.
import type { PeerInfo, ServerMessage, WelcomeMessage } from "../../protocol";
import type { IceGrant } from "../turn";
import type { IssuedToken } from "./resume-token";
import { peerInfo, type SeatRecord } from "./seat-store";

export function welcomeFrame(
  self: PeerInfo,
  seats: SeatRecord[],
  capacity: number,
  grant: IceGrant,
  token: IssuedToken,
  resumed: boolean,
  lockedBy: string | null,
): WelcomeMessage {
  return {
    type: "welcome",
    self: peerInfo(self),
    // The others, oldest first.
    peers: seats.filter((s) => s.id !== self.id).map(peerInfo),
    capacity,
    iceServers: grant.iceServers,
    iceServersExpireAt: grant.expiresAt,
    resumeToken: token.token,
    resumed,
    locked: lockedBy !== null,
    lockedBy,
  } satisfies ServerMessage;
}
