import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

/**
 * Where message writes go. SQLite: group commit (a batch shares one transaction and one flush to
 * disk). PostgreSQL: one transaction each, acknowledged after its own COMMIT, retried when a
 * concurrent writer on another process made it conflict.
 */
export interface MessageWriter {
  /** Runs `work` in a transaction (use only its `trx`); settles once that transaction is durable. */
  run<T>(work: (trx: Db) => Promise<T>): Promise<T>;
  /** Resolves when every write submitted so far has settled (before closing). */
  drain(): Promise<void>;
}

/** Connection pool figures for /metrics. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * One opened database: the kysely handle plus what differs between the dialects. Services get
 * `db` and `writer`; nothing outside db/ asks which dialect it is.
 */
export interface Storage {
  readonly dialect: DialectName;
  readonly db: Db;
  readonly writer: MessageWriter;
  /** Throws when the database cannot answer (readiness). */
  ping(): Promise<void>;
  /**
   * Runs `fn` unless another process of this installation is running the same `name` now
   * (PostgreSQL advisory lock; SQLite has one process). Returns `skipped` then.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | 'skipped'>;
  poolStats(): PoolStats;
  /**
   * Makes rows deleted so far unrecoverable from the files where the dialect can (SQLite: a
   * TRUNCATE checkpoint of the WAL, db/erase.ts). @returns false when it must be retried later.
   */
  eraseDeleted(): Promise<boolean>;
  /** Drains the writer and closes every connection. */
  close(): Promise<void>;
}

/** A failure to open the database that the operator can act on: printed as one line. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** Names of exclusive jobs running in this process: a second call while one runs is skipped. */
export class ExclusiveNames {
  private readonly running = new Set<string>();

  async run<T>(name: string, fn: () => Promise<T>): Promise<T | 'skipped'> {
    if (this.running.has(name)) return 'skipped';
    this.running.add(name);
    try {
      return await fn();
    } finally {
      this.running.delete(name);
    }
  }
}

/**
 * A row read earlier in this transaction changed or vanished under it (another process committed
 * in between: PostgreSQL's READ COMMITTED; SQLite's single writer never sees it). The message
 * writer runs the work again, which then reads the new state.
 */
export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
}
