// Frames kept for an id that is not connected, in its object's SQLite
// storage so an eviction or a restart loses none of them. The reference
// server keeps them in memory, where its restart loses them all.

/** Kept frames per id: an offer and its trickled candidates from a few callers fit many times over. */
export const QUEUE_MAX_FRAMES = 256;
/** And in bytes of JSON, so 256 large frames cannot fill an object's storage. */
export const QUEUE_MAX_BYTES = 1024 * 1024;

export interface QueuedFrame {
  /** The id the frame is for: this object's own. */
  dst: string;
  src: string;
  frame: string;
}

export class PeerQueue {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS queue (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      dst TEXT NOT NULL,
      src TEXT NOT NULL,
      frame TEXT NOT NULL,
      at INTEGER NOT NULL
    )`);
  }

  /** Keeps a frame; false when the queue is full (the sender is told the peer is unavailable). */
  push(entry: QueuedFrame, now: number): boolean {
    const { frames, bytes } = this.sql
      .exec<{ frames: number; bytes: number }>(
        "SELECT count(*) AS frames, coalesce(sum(length(frame)), 0) AS bytes FROM queue",
      )
      .one();
    if (frames >= QUEUE_MAX_FRAMES || bytes + entry.frame.length > QUEUE_MAX_BYTES) return false;
    this.sql.exec(
      "INSERT INTO queue (dst, src, frame, at) VALUES (?, ?, ?, ?)",
      entry.dst,
      entry.src,
      entry.frame,
      now,
    );
    return true;
  }

  /** When the oldest kept frame was kept (ms since epoch), or null when nothing is. */
  startedAt(): number | null {
    const row = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM queue").one();
    return row.at;
  }

  /** Every kept frame in the order it came, removed from storage. */
  take(): QueuedFrame[] {
    const rows = this.sql
      .exec<{ dst: string; src: string; frame: string }>("SELECT dst, src, frame FROM queue ORDER BY seq")
      .toArray();
    this.sql.exec("DELETE FROM queue");
    return rows;
  }
}
