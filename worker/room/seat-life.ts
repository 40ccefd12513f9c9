// Seats over time: a peer whose socket dropped goes away for its grace,
// comes back or is released; sockets that fell silent are closed; and one
// alarm keeps watch only while a seat's fate is pending (a grace running, a
// socket gone quiet). A room of healthy peers that only ping has none.
import { CloseCode, encode, type ServerMessage } from "../../protocol";
import type { Config } from "../config";
import type { LogFields, LogLevel } from "../log";
import { earliest, planLiveness } from "./liveness";
import type { SeatStore } from "./seat-store";
import { closeQuietly, type SocketManager } from "./sockets";
import type { TurnGrants } from "./turn-grants";

// Idle checks piggyback on events the room handles anyway, at most this often.
const SWEEP_EVERY_MS = 1_000;

export interface SeatLifeParts {
  config: Config;
  store: SeatStore;
  sockets: SocketManager;
  grants: TurnGrants;
  storage: DurableObjectStorage;
  log(level: LogLevel, fields: LogFields): void;
  /** Drops what the room keeps in memory for a peer (its frame budget). */
  forget(id: string): void;
  /** A knocker's socket fell silent and was closed. */
  knockerGone(id: string): void;
  /** The last seat was released. */
  emptied(): void;
}

export class SeatLife {
  private lastSweepAt = 0;
  /**
   * The alarm as last set, so an unchanged plan costs no storage call;
   * undefined after waking (not read back: that would make the first event
   * wait for storage).
   */
  private alarmAt: number | null | undefined = undefined;
  /** Seats or sockets changed since the last settle: the alarm plan must be looked at again. */
  private dirty = false;

  constructor(private readonly parts: SeatLifeParts) {}

  /**
   * On waking: seats whose holders have no socket lost them unseen (an
   * eviction, a restart, a deploy). Their grace starts now. Synchronous, so
   * the room's first event never waits for storage.
   */
  wake(now: number): void {
    const { store, sockets, config } = this.parts;
    for (const id of store.presentIds()) {
      if (sockets.live(id)) continue;
      store.markAway(id, now + config.room.graceMs);
      this.dirty = true;
    }
    this.settle(now, false);
  }

  alarmFired(now: number): void {
    this.alarmAt = null; // consumed by firing
    this.settle(now, true);
  }

  /** The peer has no socket any more (dropped, idle): its seat waits for a resume, unless there is no grace. */
  goAway(id: string, now: number): void {
    this.dirty = true;
    if (this.parts.sockets.live(id)) return;
    if (this.parts.config.room.graceMs === 0) this.release(id);
    else this.parts.store.markAway(id, now + this.parts.config.room.graceMs);
  }

  /** The seat is released for good: tell the others once, end its TURN credentials. */
  release(id: string): void {
    this.dirty = true;
    this.parts.forget(id);
    const seat = this.parts.store.remove(id);
    if (seat === null) return;
    this.parts.sockets.broadcast(encode({ type: "peer-left", peerId: id } satisfies ServerMessage), id);
    this.parts.grants.revokeAll(seat.turn, Date.now());
    if (this.parts.store.count() === 0) this.parts.emptied();
  }

  /** Releases every seat whose grace is over at `now`. */
  expireGrace(now: number): void {
    if (!this.parts.store.graceDue(now)) return;
    for (const id of this.parts.store.expired(now)) {
      this.parts.log("info", { event: "grace-over", peer: id });
      this.release(id);
    }
  }

  /**
   * Where every entry point of the room ends: expire what is due, close
   * sockets silent past the idle timeout (looked at when something changed,
   * else at most once a second, from the runtime's ping timestamps), and set
   * or clear the alarm when the plan moved. Costs no query on the relay path.
   */
  settle(now: number, changed: boolean): void {
    this.expireGrace(now);
    let recheckAt: number | null = null;
    if (changed || this.dirty || now - this.lastSweepAt >= SWEEP_EVERY_MS) {
      this.lastSweepAt = now;
      const lives = this.parts.sockets.lives();
      const plan = planLiveness(lives, now, this.parts.config.room.idleMs);
      for (const { ws, id, knocking } of lives) {
        if (!plan.idle.includes(id)) continue;
        this.parts.sockets.release(ws);
        closeQuietly(ws, CloseCode.idle, "idle");
        this.parts.log("info", { event: "idle-closed", peer: id, code: CloseCode.idle });
        if (knocking) this.parts.knockerGone(id);
        else this.goAway(id, now);
      }
      recheckAt = plan.recheckAt;
    }
    if (!changed && !this.dirty && recheckAt === null) return;
    this.dirty = false;
    const next = earliest(this.parts.store.nextGraceEnd(), recheckAt);
    const at = next === null ? null : Math.max(next, now + 1);
    // Unknown after waking and nothing to plan: leave it. An alarm left over
    // from before only wakes the room once, to find nothing and plan again.
    if (at === this.alarmAt || (at === null && this.alarmAt === undefined)) {
      this.alarmAt = at;
      return;
    }
    this.alarmAt = at;
    if (at === null) void this.parts.storage.deleteAlarm();
    else void this.parts.storage.setAlarm(at);
  }
}
