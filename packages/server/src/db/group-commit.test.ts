import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, type Generated, type SqliteDatabase } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

interface TestDb {
  notes: { id: Generated<number>; job: number; text: string };
  parents: { id: number };
  children: { id: Generated<number>; parent_id: number };
}

let dir: string;
let file: string;
let sqlite: SQLite.Database;
let db: Kysely<TestDb>;
/** A second connection on the same file, as another process would have: sees only committed data. */
let reader: SQLite.Database;
/** BEGIN / COMMIT / ROLLBACK as the driver ran them, and job settlements, in the order they happened. */
let log: string[];

/** Records the transaction statements the driver runs, after they ran (or failed). */
function recording(db: SQLite.Database): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare: (text: string) => {
      const stmt = db.prepare(text);
      const verb = /^\s*(begin|commit|rollback)\b(?!\s+to)/i.exec(text)?.[1]?.toLowerCase();
      if (!verb) return stmt;
      return {
        reader: stmt.reader,
        all: (p: ReadonlyArray<unknown>) => stmt.all(p),
        iterate: (p: ReadonlyArray<unknown>) => stmt.iterate(p),
        run: (p: ReadonlyArray<unknown>) => {
          try {
            const r = stmt.run(p);
            log.push(verb);
            return r;
          } catch (err) {
            log.push(`${verb} failed`);
            throw err;
          }
        },
      };
    },
  };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'direturn-gc-'));
  file = join(dir, 'gc.sqlite');
  sqlite = new SQLite(file);
  // The pragmas of db/database.ts.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.exec(`
    CREATE TABLE notes (id INTEGER PRIMARY KEY, job INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE TABLE parents (id INTEGER PRIMARY KEY);
    CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
  `);
  db = new Kysely<TestDb>({ dialect: new SqliteDialect({ database: recording(sqlite) }) });
  reader = new SQLite(file, { readonly: true });
  log = [];
});
afterEach(async () => {
  reader.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const committedJobs = (): number[] => (reader.prepare('SELECT job FROM notes ORDER BY id').all() as Array<{ job: number }>).map((r) => r.job);

/** Inserts a note for job `i` and returns the jobs whose notes it sees. */
const writeNote = (i: number) => async (trx: Kysely<TestDb>) => {
  await trx.insertInto('notes').values({ job: i, text: `note ${i}` }).execute();
  return (await trx.selectFrom('notes').select('job').orderBy('id').execute()).map((r) => r.job);
};

describe('GroupCommit', () => {
  it('runs jobs submitted in the same tick in one transaction, in order, each seeing the writes before it', async () => {
    const gc = new GroupCommit(db);
    const seen = await Promise.all([0, 1, 2, 3, 4].map((i) => gc.run(writeNote(i))));
    expect(seen).toEqual([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]]);
    expect(log).toEqual(['begin', 'commit']);
    expect(committedJobs()).toEqual([0, 1, 2, 3, 4]);

    // A later tick is a new batch.
    expect(await gc.run(writeNote(5))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(log).toEqual(['begin', 'commit', 'begin', 'commit']);
  });

  it('rolls back a job that throws alone: it rejects, the others commit and never see its writes', async () => {
    const gc = new GroupCommit(db);
    const rule = new Error('a domain rule');
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) =>
        gc.run(async (trx) => {
          const seen = await writeNote(i)(trx);
          if (i === 2) throw rule;
          return seen;
        }),
      ),
    );
    expect(results).toEqual([
      { status: 'fulfilled', value: [0] },
      { status: 'fulfilled', value: [0, 1] },
      { status: 'rejected', reason: rule },
      { status: 'fulfilled', value: [0, 1, 3] },
    ]);
    expect(log).toEqual(['begin', 'commit']);
    expect(committedJobs()).toEqual([0, 1, 3]);
  });

  it('settles no job before COMMIT: at resolution another connection already sees the row', async () => {
    const gc = new GroupCommit(db);
    const visibleDuringJob: number[][] = [];
    const visibleAtSettle: number[][] = [];
    const jobs = [0, 1, 2].map((i) =>
      gc
        .run(async (trx) => {
          await writeNote(i)(trx);
          visibleDuringJob.push(committedJobs());
          if (i === 1) throw new Error('refused');
        })
        .then(
          () => log.push(`resolved ${i}`),
          () => log.push(`rejected ${i}`),
        )
        .finally(() => visibleAtSettle.push(committedJobs())),
    );
    await Promise.all(jobs);
    // Uncommitted writes are invisible elsewhere, so what the reader sees at settle time is on disk.
    expect(visibleDuringJob).toEqual([[], [], []]);
    expect(log).toEqual(['begin', 'commit', 'resolved 0', 'rejected 1', 'resolved 2']);
    expect(visibleAtSettle).toEqual([
      [0, 2],
      [0, 2],
      [0, 2],
    ]);
  });

  it('rejects every job of the batch and stores nothing when COMMIT fails', async () => {
    const gc = new GroupCommit(db);
    const results = await Promise.allSettled([
      gc.run(writeNote(0)),
      // A deferred foreign key is checked at COMMIT only: the statement succeeds, the COMMIT fails.
      gc.run(async (trx) => {
        await trx.insertInto('children').values({ parent_id: 999 }).execute();
      }),
      gc.run(writeNote(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(log).toEqual(['begin', 'commit failed', 'rollback']);
    expect(committedJobs()).toEqual([]);
    expect(reader.prepare('SELECT COUNT(*) AS n FROM children').get()).toEqual({ n: 0 });

    // The failed transaction was ended: the next batch writes normally.
    expect(await gc.run(writeNote(3))).toEqual([3]);
    expect(committedJobs()).toEqual([3]);
  });

  it('holds the write lock from BEGIN, so another process cannot commit between a job’s read and its write', async () => {
    const gc = new GroupCommit(db);
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    let otherError: unknown;
    try {
      const seen = await gc.run(async (trx) => {
        // Read first, as the message dedupe does; with a deferred BEGIN this takes a read snapshot only.
        await trx.selectFrom('notes').select('job').execute();
        try {
          other.prepare("INSERT INTO notes (job, text) VALUES (99, 'keys rotate')").run();
        } catch (err) {
          otherError = err;
        }
        return writeNote(0)(trx);
      });
      // With a deferred BEGIN the other write would commit here and this job fail with SQLITE_BUSY_SNAPSHOT.
      expect(otherError).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(seen).toEqual([0]);
      // Once the batch committed, the other process writes again.
      other.prepare("INSERT INTO notes (job, text) VALUES (99, 'keys rotate')").run();
      expect(committedJobs()).toEqual([0, 99]);
    } finally {
      other.close();
    }
    expect((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM notes`.execute(db)).rows[0]!.n).toBe(2);
  });
});

describe('GroupCommit with the flush to disk off the event loop', () => {
  /** A sync the test releases (or fails) by hand; logged as 'sync' when it starts, 'synced' when done. */
  function heldSyncs() {
    const calls: Array<{ release: () => void; fail: (err: Error) => void }> = [];
    const sync = () =>
      new Promise<void>((resolve, reject) => {
        log.push('sync');
        calls.push({ release: () => (log.push('synced'), resolve()), fail: reject });
      });
    return { sync, calls };
  }
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setImmediate(r));
    expect(done()).toBe(true);
  };
  const synchronous = async (trx: Kysely<TestDb>) => (await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]!.synchronous;

  it('settles jobs only after a sync that started after their COMMIT; only that COMMIT skips its own fsync', async () => {
    const { sync, calls } = heldSyncs();
    const gc = new GroupCommit(db, { sync });
    let settled = false;
    const batch = Promise.all([gc.run(async (trx) => [await synchronous(trx), ...(await writeNote(0)(trx))]), gc.run(writeNote(1))]).finally(() => (settled = true));
    await until(() => calls.length === 1);
    expect(log).toEqual(['begin', 'commit', 'sync']);
    // committed (another connection sees it) but not acknowledged until it is on disk
    expect(committedJobs()).toEqual([0, 1]);
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    calls[0]!.release();
    // inside the batch synchronous=NORMAL (1); every other write on the connection keeps FULL (2)
    expect(await batch).toEqual([[1, 0], [0, 1]]);
    expect(log).toEqual(['begin', 'commit', 'sync', 'synced']);
    expect(await synchronous(db)).toBe(2);
  });

  it('lets jobs that arrive during a sync wait for it, then commits them together with one more sync', async () => {
    const { sync, calls } = heldSyncs();
    const gc = new GroupCommit(db, { sync });
    const order: number[] = [];
    const first = gc.run(writeNote(0)).then(() => order.push(0));
    await until(() => calls.length === 1);
    const second = gc.run(writeNote(1)).then(() => order.push(1));
    await new Promise((r) => setImmediate(r));
    const third = gc.run(writeNote(2)).then(() => order.push(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['begin', 'commit', 'sync']); // nothing written while the sync runs
    expect(committedJobs()).toEqual([0]);

    calls[0]!.release();
    await first;
    await until(() => calls.length === 2);
    expect(log).toEqual(['begin', 'commit', 'sync', 'synced', 'begin', 'commit', 'sync']); // one batch for both
    expect(order).toEqual([0]);
    calls[1]!.release();
    await Promise.all([second, third]);
    expect(order).toEqual([0, 1, 2]);
    expect(committedJobs()).toEqual([0, 1, 2]);
  });

  it('keeps the connection until the sync is done: no query reads what is not on disk yet', async () => {
    const { sync, calls } = heldSyncs();
    const gc = new GroupCommit(db, { sync });
    const written = gc.run(writeNote(0));
    await until(() => calls.length === 1);
    let seen: number[] | undefined;
    const read = db.selectFrom('notes').select('job').execute().then((rows) => (seen = rows.map((r) => r.job)));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toBeUndefined(); // waiting for the connection
    calls[0]!.release();
    await Promise.all([written, read]);
    expect(seen).toEqual([0]);
  });

  it('drains: resolves once every job submitted so far has settled', async () => {
    const { sync, calls } = heldSyncs();
    const gc = new GroupCommit(db, { sync });
    const settled: number[] = [];
    void gc.run(writeNote(0)).then(() => settled.push(0));
    void gc.run(writeNote(1)).then(() => settled.push(1));
    let drained = false;
    const drain = gc.drain().then(() => (drained = true));
    await until(() => calls.length === 1);
    expect(drained).toBe(false);
    calls[0]!.release();
    await drain;
    expect(settled).toEqual([0, 1]);
  });

  it('acknowledges nothing once a sync failed: that batch, the ones after it and every later job reject', async () => {
    const { sync, calls } = heldSyncs();
    const failures: unknown[] = [];
    const gc = new GroupCommit(db, { sync, onFailure: (err) => failures.push(err) });
    const first = gc.run(writeNote(0));
    await until(() => calls.length === 1);
    const second = gc.run(writeNote(1)); // waits for the sync, which fails
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    calls[0]!.fail(eio);
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBe(gc.failure);
    expect(gc.failure?.message).toMatch(/could not be flushed to disk/);
    expect(gc.failure?.cause).toBe(eio);
    expect(failures).toEqual([eio]);
    expect(calls).toHaveLength(1); // no sync after the failed one
    await expect(gc.run(writeNote(2))).rejects.toBe(gc.failure);
    expect(log.filter((l) => l === 'begin')).toHaveLength(1); // the jobs after the failure did not even write
  });
});

