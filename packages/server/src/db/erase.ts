import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Makes deletions real on disk. `secure_delete` (db/database.ts) zeroes deleted rows, but in WAL
 * mode the old pages stay in the `-wal` file until a checkpoint, and an ordinary checkpoint only
 * rewinds the WAL: older frames stay in the file until new ones overwrite them. A TRUNCATE
 * checkpoint copies the zeroed pages into the database file and cuts the WAL to zero bytes.
 *
 * Runs on the server's one connection (queued behind a group-commit batch, which holds it until
 * its sync). It must not wait on other processes' readers (`direturn backup`, `keys rotate`) with
 * the event loop blocked, so it runs with busy_timeout 0 and, when something holds the WAL,
 * tries again a second later until it succeeds.
 */
export class WalEraser {
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown) => void,
    private readonly retryMs = 1000,
    private readonly busyTimeoutMs = 5000,
  ) {}

  /** Truncates the WAL now; @returns false when another process held it (a retry is scheduled). */
  async erase(): Promise<boolean> {
    if (this.closed) return false;
    clearTimeout(this.retry);
    this.retry = undefined;
    let done = false;
    try {
      done = await this.db.connection().execute(async (conn) => {
        await sql`pragma busy_timeout = 0`.execute(conn);
        try {
          const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(conn);
          return rows[0]?.busy === 0;
        } finally {
          await sql.raw(`pragma busy_timeout = ${this.busyTimeoutMs}`).execute(conn);
        }
      });
    } catch (err) {
      // SQLITE_BUSY (another process is writing) counts as busy; anything else is reported too.
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') this.onError(err);
    }
    if (!done && !this.closed) {
      this.retry = setTimeout(() => void this.erase(), this.retryMs);
      this.retry.unref();
    }
    return done;
  }

  /** Stops retrying (before the database closes; closing the last connection checkpoints and removes the WAL anyway). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
  }
}
