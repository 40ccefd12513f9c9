// The connected ids of one PeerJS key, for `GET {path}/{key}/peers`, and
// only when PEERJS_DISCOVERY=true: then each peer's object tells it when its
// id opens and when it is freed. Without discovery nothing ever touches this
// object, so no single object sees every connection.
import { DurableObject } from "cloudflare:workers";

/** Ids answered at most: the reference answers every id, which no client needs past a page of them. */
export const DIRECTORY_MAX_LISTED = 1000;

export class PeerJsDirectory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS ids (id TEXT PRIMARY KEY)");
  }

  add(id: string): void {
    this.sql.exec("INSERT OR IGNORE INTO ids (id) VALUES (?)", id);
  }

  remove(id: string): void {
    this.sql.exec("DELETE FROM ids WHERE id = ?", id);
  }

  list(): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM ids ORDER BY id LIMIT ?", DIRECTORY_MAX_LISTED)
      .toArray()
      .map((row) => row.id);
  }
}
