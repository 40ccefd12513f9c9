// tincan/client: join a Tincan room from any web app. See docs/client.md.
export { joinRoom, openRoom, roomStatus, type JoinOptions } from "./join";
export { JoinError, type JoinErrorCode } from "./errors";
export {
  Room,
  type Peer,
  type RoomEvents,
  type SendOptions,
  type SignalingStatus,
  type AppData,
  type FileTransfer,
  type ConnectionDetails,
} from "./room";
export { isFinished, type TransferState, type TransferEnd } from "../call/file-exchange";
export { SentMedia, type CallMedia, type MediaKind } from "../call/call-media";
export { Store } from "../call/store";
export { selfOf, type Person, type RoomFacts, type SignalingPhase } from "../call/state";
export type { CallEnd as LeaveReason } from "../call/call";
export type { LinkState as ConnectionState } from "../peer/link-state";
export type { IcePath } from "../peer/ice-path";
export { groups as formatSafetyCode } from "../peer/safety-code";
export type { PeerInfo, RoomStatus } from "../../../protocol";
