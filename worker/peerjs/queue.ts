// Frames kept for an id that is not connected, in its object's SQLite
// storage so an eviction or a restart loses none of them. The reference
// server keeps them in memory, where its restart loses them all.
//
// The table is made by the first frame kept, not by the object's start:
// most ids never have a frame kept, and their objects then never write
// storage at all (a join costs no write).

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
  /** Whether the table exists; null until looked up (once per wake). */
  private made: boolean | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /**
   * Keeps a frame: "first" when the queue was empty (its expiry starts now),
   * "full" when it does not fit (the sender is told the peer is unavailable).
   */
  push(entry: QueuedFrame): "first" | "kept" | "full" {
    if (!this.exists()) {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        dst TEXT NOT NULL,
        src TEXT NOT NULL,
        frame TEXT NOT NULL
      )`);
      this.made = true;
    }
    const { frames, bytes } = this.sql
      .exec<{
        frames: number;
        bytes: number;
      }>("SELECT count(*) AS frames, coalesce(sum(length(frame)), 0) AS bytes FROM queue")
      .one();
    if (frames >= QUEUE_MAX_FRAMES || bytes + entry.frame.length > QUEUE_MAX_BYTES) return "full";
    this.sql.exec("INSERT INTO queue (dst, src, frame) VALUES (?, ?, ?)", entry.dst, entry.src, entry.frame);
    return frames === 0 ? "first" : "kept";
  }

  /** Every kept frame in the order it came, removed from storage. */
  take(): QueuedFrame[] {
    if (!this.exists()) return [];
    const rows = this.sql
      .exec<{ dst: string; src: string; frame: string }>("SELECT dst, src, frame FROM queue ORDER BY seq")
      .toArray();
    if (rows.length > 0) this.sql.exec("DELETE FROM queue");
    return rows;
  }

  private exists(): boolean {
    this.made ??=
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'queue'").toArray().length > 0;
    return this.made;
  }
}
