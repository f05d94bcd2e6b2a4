import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { WalEraser } from '../erase.js';
import { GroupCommit } from '../group-commit.js';
import { migrateToLatest, type MigrateMode } from '../migrate.js';
import type { Database } from '../schema.js';
import { ExclusiveNames, type Db, type Storage } from '../storage.js';

/** Distinct SQL texts kept prepared; the server issues a few dozen, the cap only bounds odd cases. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * kysely's SQLite driver calls `prepare(sql)` on every query; compiling the same SQL again costs
 * more than running it. This keeps the prepared statements by SQL text. Safe because kysely runs
 * one query at a time on the single connection and reads every result at once (`all`/`run`);
 * the server never streams (`iterate`), which would hold a statement busy.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        stmt = sqlite.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * fdatasync of the WAL file on a descriptor of our own, in libuv's thread pool (not on the event
 * loop): Linux flushes the file's dirty pages whoever wrote them, so this makes every COMMIT
 * before it durable. SQLite keeps that file (same inode) while a connection is open: it deletes
 * it only when the last connection closes, and truncating keeps the inode.
 */
export interface WalSync {
  sync: () => Promise<void>;
  close: () => Promise<void>;
}

async function openWalSync(file: string): Promise<WalSync | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(`${file}-wal`, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // commits keep syncing themselves (FULL)
    throw err;
  }
  // SQLite syncs the directory after creating the WAL only at its own first sync, which batches
  // skip: without this a power cut could lose the file's name, and with it the acknowledged messages.
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return { sync: () => handle.datasync(), close: () => handle.close() };
}

/**
 * The data directory (when this creates it) and the database files are for this user only. SQLite
 * gives the -wal and -shm files the mode of the database file, so creating that one 0600 is enough
 * for new installations; files of older ones are narrowed here. An existing directory is left as it
 * is (it may be a mount point or a shared parent); the README says to keep it private.
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (statSync(f).mode & 0o077) chmodSync(f, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

export interface SqliteStorage extends Storage {
  readonly dialect: 'sqlite';
  readonly sqlite: SQLite.Database;
  readonly walSync: WalSync | undefined;
}

export interface SqliteOptions {
  /** The server: message batches flush the WAL off the event loop (db/group-commit.ts). */
  walSync?: boolean;
  /** Called once when flushing to disk failed (the server stops). */
  onFailure?: (err: unknown) => void;
  /** Called when erasing deleted rows from the WAL failed (other than another process holding it). */
  onEraseError?: (err: unknown) => void;
  migrate?: MigrateMode;
}

/**
 * Opens (creating if needed) the SQLite file, applies durability pragmas and migrates. Message
 * writes go through group commit; with `walSync` their flush to disk runs off the event loop.
 */
export async function openSqlite(file: string, opts: SqliteOptions = {}): Promise<SqliteStorage> {
  createPrivately(file);
  const sqlite = new SQLite(file);
  // WAL: readers never block the writer. synchronous=FULL: an acknowledged write survives a
  // power cut, not just a process crash (message batches sync the WAL themselves, see walSync).
  // foreign_keys: SQLite leaves them off by default.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows (visitor self-deletion, retention) are overwritten with zeros, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  // Sorts and temporary indexes stay in memory, never in a temp file outside the data directory.
  sqlite.pragma('temp_store = MEMORY');
  const db: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  try {
    await migrateToLatest(db, opts.migrate ?? 'auto');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const walSync = opts.walSync ? await openWalSync(file) : undefined;
  const writer = new GroupCommit(db, { sync: walSync?.sync, onFailure: opts.onFailure });
  const runningNames = new ExclusiveNames();
  const eraser = new WalEraser(db, opts.onEraseError ?? (() => undefined));
  // A crash between a deletion and its erasure leaves the rows in the WAL: erase at every start.
  if (opts.walSync) await eraser.erase();
  let closing: Promise<void> | undefined;
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    walSync,
    writer,
    ping: async () => {
      sqlite.prepare('select 1').get();
    },
    // One process owns a SQLite file: only this process's own overlapping runs are skipped.
    exclusive: (name, fn) => runningNames.run(name, fn),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    eraseDeleted: () => eraser.erase(),
    close: () =>
      (closing ??= (async () => {
        eraser.close();
        await writer.drain();
        await db.destroy();
        await walSync?.close();
      })()),
  };
}
