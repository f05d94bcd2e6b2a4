import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';
import type { MigrateMode } from './migrate.js';
import type { Storage } from './storage.js';

export type { Db, Storage, MessageWriter, DialectName } from './storage.js';
export { StorageError } from './storage.js';
export { openSqlite, type SqliteStorage, type WalSync } from './dialects/sqlite.js';
export { openPostgres, type PostgresStorage } from './dialects/postgres.js';

export interface StorageConfig {
  /** postgres://… selects PostgreSQL; without it SQLite at `databaseFile`. */
  databaseUrl: string | undefined;
  databaseFile: string;
}

/**
 * The database of this installation: PostgreSQL when a URL is configured, else the SQLite file.
 * `server`: the running server (SQLite flushes message batches off the event loop), not the CLI.
 */
export function openStorage(
  config: StorageConfig,
  opts: { server?: boolean; onFailure?: (err: unknown) => void; onEraseError?: (err: unknown) => void; migrate?: MigrateMode; poolSize?: number } = {},
): Promise<Storage> {
  const migrate = opts.migrate ?? 'auto';
  if (config.databaseUrl) return openPostgres(config.databaseUrl, { migrate, ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  return openSqlite(config.databaseFile, {
    walSync: opts.server === true,
    migrate,
    ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
    ...(opts.onEraseError ? { onEraseError: opts.onEraseError } : {}),
  });
}
