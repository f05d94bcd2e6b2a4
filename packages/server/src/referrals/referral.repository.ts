import type { ReferralStatus } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { deleteOutboxOf } from '../outbox/outbox.repository.js';
import { newId } from '../shared/ids.js';
import type { ReferralEventRow, ReferralRow, ReferralTable } from './referral.table.js';

export type ReferralWithConversation = ReferralRow & { visitor_id: string; conversation_agent_id: string | null; agent_name: string | null };

const withConversation = (db: Db) =>
  db
    .selectFrom('referrals as r')
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .leftJoin('agents as a', 'a.id', 'r.agent_id')
    .selectAll('r')
    .select(['c.visitor_id', 'c.agent_id as conversation_agent_id', 'a.name as agent_name']);

export async function insertReferral(db: Db, row: ReferralRow): Promise<void> {
  await db.insertInto('referrals').values(row).execute();
}

export const findReferral = (db: Db, id: string): Promise<ReferralWithConversation | undefined> =>
  withConversation(db).where('r.id', '=', id).executeTakeFirst();

export const findReferralByTokenHash = (db: Db, tokenHash: string): Promise<ReferralWithConversation | undefined> =>
  withConversation(db).where('r.token_hash', '=', tokenHash).executeTakeFirst();

export const listReferralsOfConversation = (db: Db, conversationId: string): Promise<ReferralWithConversation[]> =>
  withConversation(db).where('r.conversation_id', '=', conversationId).orderBy('r.created_at').orderBy('r.id').execute();

const FINISHED: ReferralStatus[] = ['declined', 'cancelled', 'withdrawn', 'closed'];
const NEEDS_ACTION: ReferralStatus[] = ['not_responsible', 'failed'];

export function listReferrals(db: Db, filter: 'open' | 'action' | 'all', agentId: string | undefined, limit = 500): Promise<ReferralWithConversation[]> {
  let q = withConversation(db);
  if (agentId) q = q.where('r.agent_id', '=', agentId);
  if (filter === 'open') q = q.where('r.status', 'not in', FINISHED);
  if (filter === 'action') q = q.where('r.status', 'in', NEEDS_ACTION);
  return q.orderBy('r.updated_at', 'desc').limit(limit).execute();
}

/**
 * Moves a referral on only from one of `from`: of two processes (or a visitor and an office)
 * acting at once exactly one wins. Returns the new row, or undefined when the status had moved on.
 */
export async function transitionReferral(
  db: Db,
  id: string,
  from: readonly ReferralStatus[],
  changes: Partial<Omit<ReferralTable, 'id' | 'conversation_id' | 'created_at'>> & { status: ReferralStatus; updated_at: number },
): Promise<ReferralRow | undefined> {
  return db.updateTable('referrals').set(changes).where('id', '=', id).where('status', 'in', from).returningAll().executeTakeFirst();
}

export async function updateReferralFields(db: Db, id: string, changes: Partial<Pick<ReferralTable, 'link_token' | 'contact' | 'summary'>>): Promise<void> {
  await db.updateTable('referrals').set(changes).where('id', '=', id).execute();
}

export async function insertReferralEvent(db: Db, e: Omit<ReferralEventRow, 'id'>): Promise<void> {
  await db.insertInto('referral_events').values({ id: newId(), ...e }).execute();
}

export async function listReferralEvents(db: Db, referralIds: string[]): Promise<ReferralEventRow[]> {
  if (referralIds.length === 0) return [];
  return db.selectFrom('referral_events').selectAll().where('referral_id', 'in', referralIds).orderBy('at').orderBy('id').execute();
}

/** +1 for a status reached (statistics). ON CONFLICT … DO UPDATE is the same SQL on both dialects. */
export async function countStatus(db: Db, key: { month: string; office_id: string; district_key: string; state_key: string; status: ReferralStatus }): Promise<void> {
  await db
    .insertInto('referral_stats')
    .values({ ...key, count: 1 })
    .onConflict((oc) => oc.columns(['month', 'office_id', 'district_key', 'state_key', 'status']).doUpdateSet((eb) => ({ count: eb('referral_stats.count', '+', 1) })))
    .execute();
}

export const listStats = (db: Db): Promise<Array<{ month: string; office_id: string; office_name: string | null; district_key: string; state_key: string; status: ReferralStatus; count: number }>> =>
  db
    .selectFrom('referral_stats as s')
    .leftJoin('offices as o', 'o.id', 's.office_id')
    .select(['s.month', 's.office_id', 'o.name as office_name', 's.district_key', 's.state_key', 's.status', 's.count'])
    .orderBy('s.month', 'desc')
    .orderBy('s.office_id')
    .orderBy('s.district_key')
    .orderBy('s.status')
    .execute();

/** Referrals of deleted conversations go with them: events, the outbox rows about them, the rows (call in the deleting transaction). */
export async function deleteReferralsOfConversations(db: Db, conversationIds: string[]): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const ids = (await db.selectFrom('referrals').select('id').where('conversation_id', 'in', conversationIds).execute()).map((r) => r.id);
  if (ids.length === 0) return [];
  await db.deleteFrom('referral_events').where('referral_id', 'in', ids).execute();
  await deleteOutboxOf(db, ids.map(referralSubject));
  await db.deleteFrom('referrals').where('id', 'in', ids).execute();
  return ids;
}

export const referralSubject = (id: string): string => `referral:${id}`;

export const findOutboxIdOfReferral = async (db: Db, id: string): Promise<string | undefined> =>
  (await db.selectFrom('outbox').select('id').where('subject', '=', referralSubject(id)).orderBy('created_at', 'desc').executeTakeFirst())?.id;

/** Sealed values for key rotation. */
export const listSealedReferrals = (db: Db): Promise<Array<Pick<ReferralRow, 'id' | 'summary' | 'contact' | 'link_token'>>> =>
  db.selectFrom('referrals').select(['id', 'summary', 'contact', 'link_token']).execute();

export async function updateSealed(db: Db, id: string, column: 'summary' | 'contact' | 'link_token', expected: string, value: string): Promise<boolean> {
  const r = await db.updateTable('referrals').set({ [column]: value }).where('id', '=', id).where(column, '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
