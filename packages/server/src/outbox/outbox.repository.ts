import type { Db } from '../db/database.js';
import { skipLocked } from '../db/locking.js';
import type { OutboxRow } from './outbox.table.js';

export async function insertOutbox(db: Db, row: Omit<OutboxRow, 'attempts' | 'locked_until' | 'locked_by' | 'last_error'>): Promise<void> {
  await db.insertInto('outbox').values({ ...row, attempts: 0, locked_until: null, locked_by: null, last_error: null }).execute();
}

/**
 * Takes the next due row for `owner` until `lockedUntil`, counting the attempt; undefined when
 * nothing is due. Atomic across processes: one UPDATE whose subquery skips rows another
 * transaction is claiming (PostgreSQL), or SQLite's single writer.
 */
export async function claimNext(db: Db, now: number, lockedUntil: number, owner: string): Promise<OutboxRow | undefined> {
  const next = skipLocked(
    db,
    db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(1),
  );
  return db
    .updateTable('outbox')
    .set((eb) => ({ locked_until: lockedUntil, locked_by: owner, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', next)
    .returningAll()
    .executeTakeFirst();
}

/** Delivered: the row goes (only if this owner still holds it). */
export async function deleteDelivered(db: Db, id: string, owner: string): Promise<void> {
  await db.deleteFrom('outbox').where('id', '=', id).where('locked_by', '=', owner).execute();
}

/** Frees the row for another attempt at `at`; `refund`: this attempt does not count (the receiver was not at fault: a paused channel). */
export async function scheduleRetry(db: Db, id: string, owner: string, at: number, error: string, now: number, refund = false): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ next_attempt_at: at, locked_until: null, locked_by: null, last_error: error, updated_at: now, ...(refund ? { attempts: eb('attempts', '-', 1) } : {}) }))
    .where('id', '=', id)
    .where('locked_by', '=', owner)
    .execute();
}

export async function markFailed(db: Db, id: string, owner: string, error: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'failed', locked_until: null, locked_by: null, last_error: error, updated_at: now })
    .where('id', '=', id)
    .where('locked_by', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const listOutbox = (db: Db, status: 'pending' | 'failed', limit = 200): Promise<OutboxRow[]> =>
  db.selectFrom('outbox').selectAll().where('status', '=', status).orderBy('created_at', 'desc').limit(limit).execute();

/** A failed row gets another round of attempts. */
export async function requeue(db: Db, id: string, now: number): Promise<OutboxRow | undefined> {
  return db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, locked_by: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
}

export const findOutbox = (db: Db, id: string): Promise<OutboxRow | undefined> => db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();

/** Rows about something that is deleted (a referral with its conversation) go with it. */
export async function deleteOutboxOf(db: Db, subjects: string[]): Promise<void> {
  for (let i = 0; i < subjects.length; i += 500) await db.deleteFrom('outbox').where('subject', 'in', subjects.slice(i, i + 500)).execute();
}

export async function countByStatus(db: Db): Promise<{ pending: number; failed: number }> {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: get('pending'), failed: get('failed') };
}
