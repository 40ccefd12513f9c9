// Relaying one signal: to the addressee's live socket, else kept for it while
// it is away in its grace, else the sender learns why not. Nothing is lost
// without a word.
import { ErrorCode, encode, type ErrorMessage, type ServerMessage, type SignalRequest } from "../../protocol";
import { KEPT_MAX_BYTES, KEPT_MAX_FRAMES, type SeatStore } from "./seat-store";
import { sendFrame, type SocketManager } from "./sockets";

/** Delivers or keeps the signal; returns the error for the sender when it could do neither. */
export function relaySignal(
  sockets: SocketManager,
  store: SeatStore,
  from: string,
  { to, data }: SignalRequest,
): ErrorMessage | null {
  // `from` is always stamped here: a client can never speak for another.
  const frame = encode({ type: "signal", from, data } satisfies ServerMessage);
  const target = sockets.live(to);
  if (target && sendFrame(target, frame)) return null;
  if (store.get(to) === null) {
    return { type: "error", code: ErrorCode.unknownPeer, message: "no peer with that id is in this room", to };
  }
  if (store.keep(to, frame) === "kept") return null;
  const message = `that peer is away and already has ${KEPT_MAX_FRAMES} frames or ${KEPT_MAX_BYTES / 1024} KiB waiting`;
  return { type: "error", code: ErrorCode.peerAwayOverflow, message, to };
}
