// The room's durable memory, in the object's SQLite storage: who holds a
// seat (present or away in their grace period), and the signals kept for
// peers who are away. It survives hibernation, eviction, restarts and
// deploys; socket attachments only say which socket is whose.
import type { PeerInfo } from "../../protocol";
import { sameHash, type ResumeClaim } from "./resume-token";
import type { TurnCredentialRef } from "./turn-refs";

/** Bounds of what is kept for a peer in its grace period. */
export const KEPT_MAX_FRAMES = 256;
export const KEPT_MAX_BYTES = 256 * 1024;

const utf8 = new TextEncoder();

export interface SeatRecord {
  id: string;
  name: string;
  joinedAt: number;
  /** SHA-256 of the current resume token, hex. */
  tokenHash: string;
  /** null while the peer is present; when its grace ends while it is away. */
  awayUntil: number | null;
  turn: TurnCredentialRef[];
}

type SeatRow = {
  id: string;
  name: string;
  joined_at: number;
  token_hash: string;
  away_until: number | null;
  turn: string;
};

function toRecord(row: SeatRow): SeatRecord {
  return {
    id: row.id,
    name: row.name,
    joinedAt: row.joined_at,
    tokenHash: row.token_hash,
    awayUntil: row.away_until,
    turn: JSON.parse(row.turn) as TurnCredentialRef[],
  };
}

export type KeepResult = "kept" | "overflow";

export function peerInfo(seat: Pick<SeatRecord, "id" | "name">): PeerInfo {
  return { id: seat.id, name: seat.name };
}

/**
 * Seats are few (at most ROOM_CAPACITY) and read on every join, resume and
 * sweep: they are loaded once per wake into memory and written through to
 * SQLite on every change, so reading them never costs a query. Kept frames
 * can be many and are read only on a resume: they stay in SQLite alone.
 */
export class SeatStore {
  /** Every seat, oldest first (insertion order is join order). */
  private readonly seats = new Map<string, SeatRecord>();
  #lockedBy: string | null = null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS seats (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      joined_at INTEGER NOT NULL,
      token_hash TEXT NOT NULL,
      away_until INTEGER,
      turn TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE IF NOT EXISTS kept (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      peer TEXT NOT NULL,
      frame TEXT NOT NULL,
      bytes INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS kept_by_peer ON kept (peer, seq);
    CREATE TABLE IF NOT EXISTS room_lock (
      one INTEGER PRIMARY KEY CHECK (one = 1),
      locked_by TEXT NOT NULL
    )`);
    for (const row of sql.exec<SeatRow>(`SELECT * FROM seats ORDER BY joined_at, id`)) {
      this.seats.set(row.id, toRecord(row));
    }
    this.#lockedBy = sql.exec<{ locked_by: string }>(`SELECT locked_by FROM room_lock`).toArray()[0]?.locked_by ?? null;
  }

  /** Who locked the room, or null while it is open. Kept with the seats: it outlives any wake. */
  lockedBy(): string | null {
    return this.#lockedBy;
  }

  lock(by: string): void {
    this.sql.exec(`INSERT OR REPLACE INTO room_lock (one, locked_by) VALUES (1, ?)`, by);
    this.#lockedBy = by;
  }

  unlock(): void {
    this.sql.exec(`DELETE FROM room_lock`);
    this.#lockedBy = null;
  }

  /** Every seat, oldest first. */
  all(): SeatRecord[] {
    return [...this.seats.values()];
  }

  get(id: string): SeatRecord | null {
    return this.seats.get(id) ?? null;
  }

  count(): number {
    return this.seats.size;
  }

  /** The seat a resume token stands for, if it is valid at `now` (present, or away within its grace). */
  claimed(claim: ResumeClaim, now: number): SeatRecord | null {
    const seat = this.get(claim.peerId);
    if (seat === null || !sameHash(seat.tokenHash, claim.hash)) return null;
    return seat.awayUntil === null || seat.awayUntil > now ? seat : null;
  }

  insert(seat: SeatRecord): void {
    this.sql.exec(
      `INSERT INTO seats (id, name, joined_at, token_hash, away_until, turn) VALUES (?, ?, ?, ?, ?, ?)`,
      seat.id,
      seat.name,
      seat.joinedAt,
      seat.tokenHash,
      seat.awayUntil,
      JSON.stringify(seat.turn),
    );
    this.seats.set(seat.id, { ...seat });
  }

  /** The peer is back (or still here): present, with a new resume token. */
  markPresent(id: string, tokenHash: string): void {
    this.sql.exec(`UPDATE seats SET away_until = NULL, token_hash = ? WHERE id = ?`, tokenHash, id);
    this.update(id, { awayUntil: null, tokenHash });
  }

  /** The peer is away until `until`, unless it already was. */
  markAway(id: string, until: number): void {
    if (this.seats.get(id)?.awayUntil !== null) return;
    this.sql.exec(`UPDATE seats SET away_until = ? WHERE id = ?`, until, id);
    this.update(id, { awayUntil: until });
  }

  setTurn(id: string, turn: TurnCredentialRef[]): void {
    this.sql.exec(`UPDATE seats SET turn = ? WHERE id = ?`, JSON.stringify(turn), id);
    this.update(id, { turn });
  }

  /** Frees the seat and forgets what was kept for it; returns the seat. */
  remove(id: string): SeatRecord | null {
    const seat = this.get(id);
    if (seat === null) return null;
    this.sql.exec(`DELETE FROM seats WHERE id = ?`, id);
    this.sql.exec(`DELETE FROM kept WHERE peer = ?`, id);
    this.seats.delete(id);
    return seat;
  }

  /** Seats whose holders were present when last seen (for reconciling with sockets). */
  presentIds(): string[] {
    return this.all()
      .filter((s) => s.awayUntil === null)
      .map((s) => s.id);
  }

  /** Away seats whose grace is over at `now`. */
  expired(now: number): string[] {
    return this.all()
      .filter((s) => s.awayUntil !== null && s.awayUntil <= now)
      .map((s) => s.id);
  }

  /** When the next grace period ends, or null when nobody is away. */
  nextGraceEnd(): number | null {
    let next: number | null = null;
    for (const { awayUntil } of this.seats.values()) {
      if (awayUntil !== null && (next === null || awayUntil < next)) next = awayUntil;
    }
    return next;
  }

  /** Some grace period is over at `now` (the relay path asks: no query, a look at a few seats). */
  graceDue(now: number): boolean {
    const end = this.nextGraceEnd();
    return end !== null && end <= now;
  }

  private update(id: string, change: Partial<SeatRecord>): void {
    const seat = this.seats.get(id);
    if (seat) this.seats.set(id, { ...seat, ...change });
  }

  /** Keeps a frame for an away peer, within the per-peer bounds. */
  keep(peer: string, frame: string): KeepResult {
    const bytes = utf8.encode(frame).byteLength;
    const held = this.sql
      .exec<{ n: number; b: number | null }>(`SELECT COUNT(*) AS n, SUM(bytes) AS b FROM kept WHERE peer = ?`, peer)
      .one();
    if (held.n + 1 > KEPT_MAX_FRAMES || (held.b ?? 0) + bytes > KEPT_MAX_BYTES) return "overflow";
    this.sql.exec(`INSERT INTO kept (peer, frame, bytes) VALUES (?, ?, ?)`, peer, frame, bytes);
    return "kept";
  }

  /** Everything kept for `peer`, in the order it was sent, and forgets it. */
  takeKept(peer: string): string[] {
    const frames = this.sql
      .exec<{ frame: string }>(`SELECT frame FROM kept WHERE peer = ? ORDER BY seq`, peer)
      .toArray()
      .map((r) => r.frame);
    this.sql.exec(`DELETE FROM kept WHERE peer = ?`, peer);
    return frames;
  }
}
