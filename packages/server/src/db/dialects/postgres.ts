import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type MigrateMode } from '../migrate.js';
import type { Database } from '../schema.js';
import { ConcurrentChangeError, ExclusiveNames, StorageError, type Db, type MessageWriter, type Storage } from '../storage.js';

const INT8 = 20;
const NUMERIC = 1700;

/**
 * node-postgres returns int8 (our epoch-ms timestamps, seq numbers, count(*)) as strings so as not
 * to lose precision above 2^53. Every value DiReturn stores in int8 is far below that, and the
 * services expect numbers as SQLite gives them: parse them here, for this pool only.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which a transaction may simply be run again. */
const RETRYABLE = new Set([
  '23505', // unique_violation: a concurrent writer on another process inserted the same key first
  '23503', // foreign_key_violation: a row this one refers to was deleted meanwhile ("delete my data" on another socket); the rerun sees it gone
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const MAX_ATTEMPTS = 4;

/**
 * On PostgreSQL each message write is its own transaction, acknowledged after COMMIT
 * (synchronous_commit stays on, so COMMIT means on disk). Two processes can race where SQLite's
 * single writer never did (two sends of one visitor creating two conversations, a resent frame
 * landing on two processes): the unique constraints catch the loser, and a rerun then finds the
 * winner's row.
 */
class TransactionWriter implements MessageWriter {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly db: Db) {}

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    const p = this.attempt(work, 1);
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  private async attempt<T>(work: (trx: Db) => Promise<T>, n: number): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (err) {
      const retry = err instanceof ConcurrentChangeError || RETRYABLE.has((err as { code?: string }).code ?? '');
      if (n < MAX_ATTEMPTS && retry) return this.attempt(work, n + 1);
      throw err;
    }
  }

  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

/** The address without credentials, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Advisory lock keys are int8: a stable 63-bit hash of the name. */
function lockKey(name: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const ch of Buffer.from(`direturn:${name}`)) h = ((h ^ BigInt(ch)) * 0x100000001b3n) & 0x7fffffffffffffffn;
  return h;
}

export interface PostgresStorage extends Storage {
  readonly dialect: 'postgres';
  readonly pool: pg.Pool;
}

export interface PostgresOptions {
  /** Connections per process (default 10). */
  poolSize?: number;
  migrate?: MigrateMode;
}

/** Connects, checks that the server answers, and migrates (kysely holds PostgreSQL's migration lock). */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresStorage> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types, connectionTimeoutMillis: 10_000, application_name: 'direturn' });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    const e = err as { code?: string; message?: string };
    throw new StorageError(`Cannot reach PostgreSQL at ${describeUrl(url)}: ${e.code ?? ''} ${e.message ?? String(err)}`.replace(/\s+/g, ' ').trim());
  }
  try {
    await migrateToLatest(db, opts.migrate ?? 'auto');
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
  const writer = new TransactionWriter(db);
  const runningNames = new ExclusiveNames();
  let closing: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    db,
    pool,
    writer,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    exclusive: (name, fn) => runningNames.run(name, async () => {
      // A session lock on one pooled connection: held while fn runs, released on any outcome.
      const client = await pool.connect();
      try {
        const key = lockKey(name).toString();
        const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int8) as ok', [key]);
        if (!rows[0]?.ok) return 'skipped';
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1::int8)', [key]);
        }
      } finally {
        client.release();
      }
    }).then((r) => r as Awaited<ReturnType<typeof fn>> | 'skipped'),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    // Deleted rows stay in PostgreSQL's heap and WAL until autovacuum and checkpoints reuse the
    // space; no SQL makes that immediate (docs/security.md: disk encryption, WAL archive retention).
    eraseDeleted: async () => true,
    close: () =>
      (closing ??= (async () => {
        await writer.drain();
        await db.destroy();
      })()),
  };
}
