// tincan/client: join a Tincan room from any web app. See docs/client.md.
export { joinRoom, type JoinOptions } from "./join";
export { JoinError, type JoinErrorCode } from "./errors";
export {
  Room,
  type Peer,
  type RoomEvents,
  type SendOptions,
  type SignalingStatus,
  type AppData,
  type FileTransfer,
} from "./room";
export type { TransferState, TransferEnd } from "../call/file-exchange";
export type { MediaKind } from "./app-media";
export type { CallEnd as LeaveReason } from "../call/call";
export type { LinkState as ConnectionState } from "../peer/link-state";
export type { IcePath } from "../peer/ice-path";
export type { PeerInfo } from "../../../protocol";
