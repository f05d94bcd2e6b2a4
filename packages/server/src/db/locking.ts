import type { SelectQueryBuilder } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Row claims that several processes may race for. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so a
 * concurrent claimer passes over the row another transaction is taking instead of waiting for it
 * or taking it too. SQLite has one writer: the statement that claims is atomic as it is (and
 * SQLite has no FOR UPDATE).
 */
export function skipLocked<DB, TB extends keyof DB, O>(db: { getExecutor(): unknown }, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db as never) === 'postgres' ? query.forUpdate().skipLocked() : query;
}
