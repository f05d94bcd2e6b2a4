import { PostgresAdapter, type Kysely } from 'kysely';
import type { DialectName } from './storage.js';

/**
 * The dialect a kysely handle (or transaction) speaks. For the few places that must branch:
 * migrations and compiled-once queries. Services never ask.
 */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
