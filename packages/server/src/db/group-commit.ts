import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

interface Job<DB> {
  work: (trx: Kysely<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: write transactions submitted while the event loop is busy (typically one per
 * incoming message) run together in ONE SQLite transaction, so they share one COMMIT and its
 * fsync (synchronous=FULL) instead of paying one each.
 *
 * - Each job runs in its own SAVEPOINT: a job that throws (a domain rule, a constraint) is rolled
 *   back alone and rejects; the others go on.
 * - Every job's promise settles only after the whole batch has committed: a resolved job is on
 *   disk (an ack still means persisted). If COMMIT fails, every job of the batch rejects.
 * - Jobs run in submission order, one after another, each seeing the writes of the ones before,
 *   exactly as separate transactions would.
 * - The batch takes the write lock at BEGIN (IMMEDIATE), waiting busy_timeout if another process
 *   (`direturn keys rotate`) holds it. A deferred BEGIN would read first and could then not
 *   upgrade to writing once that process had committed (SQLITE_BUSY_SNAPSHOT): the batch would fail.
 *
 * Batches form naturally: the first job schedules a flush on `setImmediate`, so every frame read
 * in the same turn of the event loop joins it; under load a batch holds whatever arrived while
 * the previous COMMIT was syncing.
 */
export class GroupCommit<DB = Database> {
  private queue: Array<Job<DB>> = [];
  private scheduled = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 200,
  ) {}

  /** Runs `work` inside a (shared) transaction; settles after that transaction has committed. */
  run<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const jobs = this.queue.splice(0, this.maxBatch);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      // kysely's transaction() only issues a deferred BEGIN; one connection, our own BEGIN IMMEDIATE.
      await this.db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          for (const job of jobs) {
            await sql`savepoint job`.execute(conn);
            try {
              const value = await job.work(conn);
              await sql`release job`.execute(conn);
              outcomes.push({ ok: true, value });
            } catch (err) {
              await sql`rollback to job`.execute(conn);
              await sql`release job`.execute(conn);
              outcomes.push({ ok: false, err });
            }
          }
          await sql`commit`.execute(conn);
        } catch (err) {
          // A failed COMMIT (a deferred constraint, SQLITE_BUSY) leaves the transaction open.
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw err;
        }
      });
    } catch (err) {
      // BEGIN or COMMIT failed: nothing of this batch is stored.
      for (const job of jobs) job.reject(err);
      return this.next();
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.err);
    });
    this.next();
  }

  private next(): void {
    this.scheduled = false;
    if (this.queue.length > 0) this.schedule();
  }
}
