import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

interface Job<DB> {
  work: (trx: Kysely<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /** Makes everything committed so far durable, off the event loop (see GroupCommit). */
  sync?: (() => Promise<void>) | undefined;
  /** Called once when a sync (or restoring synchronous=FULL) failed, still holding the connection; from then on every job rejects. */
  onFailure?: ((err: unknown) => void) | undefined;
}

/**
 * Group commit: write transactions submitted while the event loop is busy (typically one per
 * incoming message) run together in ONE SQLite transaction, so they share one COMMIT and one
 * flush to disk instead of paying one each.
 *
 * - Each job runs in its own SAVEPOINT: a job that throws (a domain rule, a constraint) is rolled
 *   back alone and rejects; the others go on.
 * - Every job's promise settles only after the whole batch has committed and is on disk: a
 *   resolved job survives a power cut (an ack still means persisted). If COMMIT fails, every job
 *   of the batch rejects.
 * - Jobs run in submission order, one after another, each seeing the writes of the ones before,
 *   exactly as separate transactions would.
 * - The batch takes the write lock at BEGIN (IMMEDIATE), waiting busy_timeout if another process
 *   (`direturn keys rotate`) holds it. A deferred BEGIN would read first and could then not
 *   upgrade to writing once that process had committed (SQLITE_BUSY_SNAPSHOT): the batch would fail.
 *
 * Batches form naturally: the first job schedules a flush on `setImmediate`, so every frame read
 * in the same turn of the event loop joins it; under load a batch holds whatever arrived while
 * the previous one was running.
 *
 * The flush to disk: without `sync`, COMMIT itself fsyncs (the connection's synchronous=FULL),
 * blocking the event loop for the fsync. With `sync` (an fdatasync of the WAL file, which runs
 * in libuv's thread pool), a batch COMMITs with synchronous=NORMAL (its WAL frames are written,
 * not yet synced) and its jobs settle when that sync has finished. The batch keeps the database
 * connection until then, so no other query reads, or writes after, data that is not on disk yet
 * (the event loop is free; queries wait for the connection). Jobs that arrive meanwhile
 * wait and form the next batch: they could not be acknowledged before the next sync anyway, and
 * under load batches grow instead of COMMITs (each writing its pages to the WAL) multiplying
 * (on the bench about 1.5× the held rate of committing at once). If a sync fails, what the kernel had
 * not written may be lost without a trace (Linux can drop the dirty pages), so nothing further is
 * acknowledged: the batch and every later job reject, `failure` is set and `onFailure` runs (the
 * server then stops: only a restart, with SQLite's recovery of the WAL, is safe).
 */
export class GroupCommit<DB = Database> {
  private queue: Array<Job<DB>> = [];
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly sync: (() => Promise<void>) | undefined;
  private readonly onFailure: ((err: unknown) => void) | undefined;
  private failed: Error | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.sync = options.sync;
    this.onFailure = options.onFailure;
  }

  /** Set once a sync to disk has failed: nothing is acknowledged any more. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /**
   * Runs `work` inside a (shared) transaction; settles after that transaction is on disk. `work`
   * must use only the `trx` it is given: the batch holds the one connection, so a query on the
   * database itself would wait for the batch, which waits for `work`.
   */
  run<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private fail(err: unknown): Error {
    if (!this.failed) {
      this.failed = new Error('Storage failed: the database could not be flushed to disk.', { cause: err });
      try {
        this.onFailure?.(err);
      } catch {
        // the failure stays set: every job is refused whatever the callback did
      }
    }
    return this.failed;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const jobs = this.queue.splice(0, this.maxBatch);
    if (this.failed) {
      for (const job of jobs) job.reject(this.failed);
      return this.next();
    }
    const outcomes: Outcome[] = [];
    const deferSync = this.sync !== undefined;
    let fatal: unknown;
    try {
      // kysely's transaction() only issues a deferred BEGIN; one connection, our own BEGIN IMMEDIATE.
      await this.db.connection().execute(async (conn) => {
        // Only this COMMIT skips its fsync; every other write on the connection keeps FULL.
        if (deferSync) await sql`pragma synchronous = normal`.execute(conn);
        try {
          await this.transaction(conn, jobs, outcomes);
        } finally {
          // fails only with a transaction still open: the connection would stay without fsync
          if (deferSync) await sql`pragma synchronous = full`.execute(conn).catch((err: unknown) => (fatal = err));
        }
        // Still holding the connection: no query reads (or writes after) what is not on disk yet.
        if (deferSync && fatal === undefined) await this.sync!().catch((err: unknown) => (fatal = err));
        // ...and on failure nobody gets it back before the failure is known (onFailure stops the server).
        if (fatal !== undefined) this.fail(fatal);
      });
    } catch (err) {
      // BEGIN or COMMIT failed: nothing of this batch is stored.
      for (const job of jobs) job.reject(fatal === undefined ? err : this.fail(fatal));
      return this.next();
    }
    if (fatal !== undefined) {
      const failure = this.fail(fatal);
      for (const job of jobs) job.reject(failure);
      return this.next();
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.err);
    });
    this.next();
  }

  /** Resolves once every job submitted so far has settled (before the database is closed). */
  async drain(): Promise<void> {
    while (this.scheduled) await new Promise((resolve) => setImmediate(resolve));
  }

  /** One BEGIN IMMEDIATE … COMMIT over the jobs, a savepoint each; records each job's outcome. */
  private async transaction(conn: Kysely<DB>, jobs: Array<Job<DB>>, outcomes: Outcome[]): Promise<void> {
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
  }

  private next(): void {
    this.scheduled = false;
    if (this.queue.length > 0) this.schedule();
  }
}
