// The lobby of a locked room: newcomers knock and wait, unseated, until a
// seated peer admits or denies them. A knocker has no seat, no TURN
// credentials and no grace: it exists only as its socket's attachment, so
// the lobby survives hibernation with the sockets and ends with them.
import { CloseCode, ErrorCode, encode, type ClientMessage, type ServerMessage } from "../../protocol";
import type { Config } from "../config";
import type { LogFields, LogLevel } from "../log";
import type { IceGrant } from "../turn";
import { onAdmit } from "./admission";
import type { SeatStore } from "./seat-store";
import { closeQuietly, isOpen, sendFrame, type Knocker, type SocketManager, type SocketTag } from "./sockets";
import type { TurnGrants } from "./turn-grants";

const send = (ws: WebSocket, message: ServerMessage) => sendFrame(ws, encode(message));

export interface LobbyParts {
  config: Config;
  store: SeatStore;
  sockets: SocketManager;
  grants: TurnGrants;
  log(level: LogLevel, fields: LogFields): void;
  /** Drops what the room keeps in memory for an id (its frame budget). */
  forget(id: string): void;
  /** Gives a let-in knocker its seat: the welcome, the others' peer-joined. */
  seat(ws: WebSocket, id: string, name: string, grant: IceGrant): void;
}

type LetIn = "seated" | "gone" | "full";

export class Lobby {
  constructor(private readonly parts: LobbyParts) {}

  /** A newcomer of a locked room: it learns the id it would have, everyone inside hears the knock. */
  knock(ws: WebSocket, id: string, name: string, now: number): void {
    this.parts.sockets.acceptKnocker(ws, id, name, now);
    send(ws, { type: "lobby", id } satisfies ServerMessage);
    this.parts.sockets.broadcast(encode({ type: "knock", peer: { id, name } } satisfies ServerMessage), null);
    this.parts.log("info", { event: "knock", peer: id, waiting: this.waiting().length });
  }

  /** The lobby holds LOBBY_CAPACITY already: told why, then closed, never held. */
  turnAwayFull(ws: WebSocket): void {
    ws.accept();
    send(ws, { type: "error", code: ErrorCode.lobbyFull, message: "too many people are waiting to be let in" });
    ws.close(CloseCode.lobbyFull, "lobby-full");
    this.parts.log("info", { event: "lobby-full", code: ErrorCode.lobbyFull });
  }

  /** Knockers nobody has answered yet, in the order they knocked. */
  waiting(): Knocker[] {
    return this.parts.sockets.knockers().filter((k) => !k.knock.admitting);
  }

  /** Right after a welcome: a newly seated peer hears of everyone still waiting. */
  greet(ws: WebSocket): void {
    for (const { id, knock } of this.waiting()) {
      send(ws, { type: "knock", peer: { id, name: knock.name } } satisfies ServerMessage);
    }
  }

  /** A knocker's frame: it may ping and leave, nothing else, and nothing it sends is relayed. */
  onKnockerFrame(ws: WebSocket, tag: SocketTag, message: ClientMessage): void {
    switch (message.type) {
      case "ping":
        send(ws, { type: "pong" } satisfies ServerMessage);
        return;
      case "leave":
        this.parts.sockets.release(ws);
        this.gone(tag.id);
        ws.close(CloseCode.normal, "left");
        return;
      default: {
        const text = `\`${message.type}\` is for people in the room; wait until someone lets you in`;
        send(ws, { type: "error", code: ErrorCode.notAdmitted, message: text } satisfies ServerMessage);
      }
    }
  }

  /** A seated peer's `admit`. The first answer wins: an admit under way makes the knock no longer pending. */
  async admit(by: WebSocket, byId: string, peerId: string): Promise<void> {
    const knocker = this.waiting().find((k) => k.id === peerId);
    const decision = onAdmit({
      pending: knocker !== undefined,
      seats: this.parts.store.count(),
      admitting: this.admitting(),
      capacity: this.parts.config.room.capacity,
    });
    if (decision === "unknown-knock" || knocker === undefined) {
      this.unknownKnock(by, peerId);
      return;
    }
    if (decision === "room-full" || (await this.letIn(knocker, byId)) === "full") {
      const message = "the room is full: they keep waiting until a seat is free";
      send(by, { type: "error", code: ErrorCode.roomFull, message, peerId } satisfies ServerMessage);
    }
  }

  /** A seated peer's `deny`: the knocker is told, and closed with 4004. */
  deny(by: WebSocket, byId: string, peerId: string): void {
    const knocker = this.waiting().find((k) => k.id === peerId);
    if (knocker === undefined) {
      this.unknownKnock(by, peerId);
      return;
    }
    this.parts.sockets.release(knocker.ws);
    send(knocker.ws, { type: "error", code: ErrorCode.denied, message: "someone in the room said no" });
    closeQuietly(knocker.ws, CloseCode.denied, "denied");
    this.ended(peerId, "denied");
    this.parts.log("info", { event: "deny", peer: peerId, by: byId });
  }

  /** The knocker left or its socket dropped: no grace, no seat. */
  gone(id: string): void {
    this.ended(id, "gone");
    this.parts.log("info", { event: "knock-gone", peer: id });
  }

  /**
   * The room is open again (unlocked by hand, or emptied): the waiting are
   * let in in the order they knocked while seats remain; the rest hear the
   * room is full. Stops if someone locks the room again meanwhile.
   */
  async drain(): Promise<void> {
    for (const knocker of this.waiting()) {
      if (this.parts.store.lockedBy() !== null) return;
      if (!isOpen(knocker.ws) || this.parts.sockets.active(knocker.ws) === null) continue;
      if (this.parts.store.count() + this.admitting() < this.parts.config.room.capacity) {
        if ((await this.letIn(knocker, null)) !== "full") continue;
      }
      this.parts.sockets.release(knocker.ws);
      send(knocker.ws, { type: "error", code: ErrorCode.roomFull, message: "this room is full" });
      closeQuietly(knocker.ws, CloseCode.roomFull, "room-full");
      this.gone(knocker.id);
    }
  }

  /**
   * Seats a knocker. Marked as admitting first, so no second answer counts
   * while credentials are minted; looked at again after that await, since
   * the knocker may have gone or the room filled meanwhile.
   */
  private async letIn(knocker: Knocker, byId: string | null): Promise<LetIn> {
    const { sockets, grants, store, config } = this.parts;
    sockets.setKnock(knocker.ws, { ...knocker.knock, admitting: true });
    const minted = grants.mint(knocker.id);
    const grant = minted instanceof Promise ? await minted : minted;
    if (!isOpen(knocker.ws) || sockets.active(knocker.ws) === null) {
      grants.discard(grant);
      return "gone";
    }
    if (store.count() >= config.room.capacity) {
      grants.discard(grant);
      sockets.setKnock(knocker.ws, { name: knocker.knock.name, at: knocker.knock.at });
      return "full";
    }
    // The others hear the knock end before the newcomer is announced.
    this.ended(knocker.id, "admitted");
    sockets.setKnock(knocker.ws, null);
    this.parts.seat(knocker.ws, knocker.id, knocker.knock.name, grant);
    this.parts.log("info", { event: "admit", peer: knocker.id, by: byId ?? "unlocked" });
    return "seated";
  }

  private admitting(): number {
    return this.parts.sockets.knockers().filter((k) => k.knock.admitting).length;
  }

  private ended(peerId: string, outcome: "admitted" | "denied" | "gone"): void {
    this.parts.forget(peerId);
    this.parts.sockets.broadcast(encode({ type: "knock-ended", peerId, outcome } satisfies ServerMessage), null);
  }

  private unknownKnock(by: WebSocket, peerId: string): void {
    const message = "nobody with that id is waiting: answered already, or gone";
    send(by, { type: "error", code: ErrorCode.unknownKnock, message, peerId } satisfies ServerMessage);
  }
}
