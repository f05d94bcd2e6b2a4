import type { CallbackEnd, CallbackOutcome } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import type { CallbackRow } from './callback.table.js';

export type CallbackWithNames = CallbackRow & { visitor_id: string; agent_name: string | null };

const withNames = (db: Db) =>
  db
    .selectFrom('callbacks as cb')
    .innerJoin('conversations as c', 'c.id', 'cb.conversation_id')
    .leftJoin('agents as a', 'a.id', 'cb.agent_id')
    .selectAll('cb')
    .select(['c.visitor_id', 'a.name as agent_name']);

export async function insertCallback(db: Db, row: CallbackRow): Promise<void> {
  await db.insertInto('callbacks').values(row).execute();
}

export const findCallback = (db: Db, id: string): Promise<CallbackWithNames | undefined> => withNames(db).where('cb.id', '=', id).executeTakeFirst();

/** The visitor's request with this id (a resend), in any of their conversations. */
export const findCallbackByRequest = (db: Db, visitorId: string, requestId: string): Promise<CallbackWithNames | undefined> =>
  withNames(db).where('c.visitor_id', '=', visitorId).where('cb.request_id', '=', requestId).executeTakeFirst();

/** The visitor's request that is not handled yet, if any. */
export const findOpenCallbackOfVisitor = (db: Db, visitorId: string): Promise<CallbackWithNames | undefined> =>
  withNames(db).where('c.visitor_id', '=', visitorId).where('cb.status', '!=', 'closed').executeTakeFirst();

export const listCallbacksOfConversation = (db: Db, conversationId: string): Promise<CallbackWithNames[]> =>
  withNames(db).where('cb.conversation_id', '=', conversationId).orderBy('cb.created_at').orderBy('cb.id').execute();

export function listCallbacks(db: Db, filter: 'open' | 'mine' | 'closed', agentId: string, limit = 500): Promise<CallbackWithNames[]> {
  const q = withNames(db);
  if (filter === 'closed') return q.where('cb.status', '=', 'closed').orderBy('cb.closed_at', 'desc').limit(limit).execute();
  const open = filter === 'mine' ? q.where('cb.status', '=', 'claimed').where('cb.agent_id', '=', agentId) : q.where('cb.status', '!=', 'closed');
  return open.orderBy('cb.due_at').orderBy('cb.created_at').limit(limit).execute();
}

/** Takes a waiting callback: one UPDATE guarded by the status, so of two counsellors exactly one gets it. */
export async function claimCallback(db: Db, id: string, agentId: string, now: number): Promise<boolean> {
  const r = await db.updateTable('callbacks').set({ status: 'claimed', agent_id: agentId, claimed_at: now }).where('id', '=', id).where('status', '=', 'waiting').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Back to the list (released, or not reached: try again), only from the holder named. */
export async function releaseCallback(db: Db, id: string, holderId: string, changes: { attempts?: number; last_attempt?: CallbackOutcome; note?: string | null } = {}): Promise<boolean> {
  const r = await db
    .updateTable('callbacks')
    .set({ status: 'waiting', agent_id: null, claimed_at: null, ...changes })
    .where('id', '=', id)
    .where('status', '=', 'claimed')
    .where('agent_id', '=', holderId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Finishes a callback its holder has: the number and the topic are deleted in the same UPDATE. */
export async function closeCallback(db: Db, id: string, holderId: string, changes: { outcome: CallbackEnd; last_attempt: CallbackOutcome; note: string | null; closed_at: number }): Promise<boolean> {
  const r = await db
    .updateTable('callbacks')
    .set({ ...changes, status: 'closed', phone: null, topic: null })
    .where('id', '=', id)
    .where('status', '=', 'claimed')
    .where('agent_id', '=', holderId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Callbacks that still hold a number whose last window ended before `cutoff` (retention). */
export const findNumbersEndedBefore = (db: Db, cutoff: number, limit: number): Promise<Array<Pick<CallbackRow, 'id' | 'conversation_id' | 'status'>>> =>
  db.selectFrom('callbacks').select(['id', 'conversation_id', 'status']).where('phone', 'is not', null).where('last_window_end', '<', cutoff).orderBy('last_window_end').limit(limit).execute();

/**
 * Retention: the number and topic go; an unfinished callback is closed as `expired`. Guarded by
 * the number still being there, so processes running this at once do it once.
 */
export async function expireCallback(db: Db, id: string, now: number): Promise<{ closed: boolean } | undefined> {
  const row = await db.selectFrom('callbacks').select('status').where('id', '=', id).where('phone', 'is not', null).executeTakeFirst();
  if (!row) return undefined;
  const closing = row.status !== 'closed';
  const r = await db
    .updateTable('callbacks')
    .set({ phone: null, topic: null, ...(closing ? { status: 'closed' as const, outcome: 'expired' as const, closed_at: now } : {}) })
    .where('id', '=', id)
    .where('phone', 'is not', null)
    .where('status', '=', row.status)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? { closed: closing } : undefined;
}

/** Callbacks of deleted conversations go with them (call in the deleting transaction). */
export async function deleteCallbacksOfConversations(db: Db, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await db.deleteFrom('callbacks').where('conversation_id', 'in', conversationIds).execute();
}

/** Sealed values for key rotation. */
export const listSealedCallbacks = (db: Db): Promise<Array<Pick<CallbackRow, 'id' | 'phone' | 'topic' | 'note'>>> =>
  db.selectFrom('callbacks').select(['id', 'phone', 'topic', 'note']).where((eb) => eb.or([eb('phone', 'is not', null), eb('topic', 'is not', null), eb('note', 'is not', null)])).execute();

export async function updateSealedCallback(db: Db, id: string, column: 'phone' | 'topic' | 'note', expected: string, value: string): Promise<boolean> {
  const r = await db.updateTable('callbacks').set({ [column]: value }).where('id', '=', id).where(column, '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
