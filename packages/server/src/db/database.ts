import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrate.js';

export type Db = Kysely<Database>;

/** Opens (creating if needed) the SQLite file, applies durability pragmas and migrates. */
export async function openDatabase(file: string): Promise<{ db: Db; sqlite: SQLite.Database }> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL: readers never block the writer. synchronous=FULL: an acknowledged message survives a
  // power cut, not just a process crash. foreign_keys: SQLite leaves them off by default.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows (visitor self-deletion, retention) are overwritten with zeros, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  return { db, sqlite };
}
