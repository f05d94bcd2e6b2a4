import type { Db } from '../db/database.js';
import { deleteOutboxOf } from '../outbox/outbox.repository.js';
import type { ReplyNoticeRow } from './reply-notice.table.js';

/** The outbox rows of a conversation's notices: deleted with the notice. */
export const replyNoticeSubject = (conversationId: string): string => `reply-notice:${conversationId}`;

export const findReplyNotice = (db: Db, id: string): Promise<ReplyNoticeRow | undefined> => db.selectFrom('reply_notices').selectAll().where('id', '=', id).executeTakeFirst();

export const findReplyNoticeOfConversation = (db: Db, conversationId: string): Promise<ReplyNoticeRow | undefined> =>
  db.selectFrom('reply_notices').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();

export async function insertReplyNotice(db: Db, row: ReplyNoticeRow): Promise<void> {
  await db.insertInto('reply_notices').values(row).execute();
}

/** A new address (or language) for the same conversation: the waiting period stays as it is. */
export async function updateReplyNoticeAddress(db: Db, id: string, email: string, language: string, now: number): Promise<void> {
  await db.updateTable('reply_notices').set({ email, language, updated_at: now }).where('id', '=', id).execute();
}

/**
 * A counsellor's reply `seq` opens a waiting period unless one is open already: one that the
 * visitor has not ended by reading up to its reply (`readSeq`) or writing after it. One guarded
 * UPDATE, so of two replies committed at once only one queues a notice. Returns the notice's id.
 */
export async function openWaitingPeriod(db: Db, conversationId: string, seq: number, readSeq: number, now: number): Promise<string | undefined> {
  const row = await db
    .updateTable('reply_notices')
    .set({ waiting_seq: seq, updated_at: now })
    .where('conversation_id', '=', conversationId)
    .where((eb) =>
      eb.or([
        eb('waiting_seq', 'is', null),
        eb('waiting_seq', '<=', readSeq),
        eb.exists(eb.selectFrom('messages as m').select('m.id').where('m.conversation_id', '=', conversationId).where('m.author', '=', 'visitor').whereRef('m.seq', '>', 'reply_notices.waiting_seq')),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Did the visitor write after `seq`? (They came back, whatever their widget marked as read.) */
export async function visitorWroteAfter(db: Db, conversationId: string, seq: number): Promise<boolean> {
  const row = await db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('author', '=', 'visitor').where('seq', '>', seq).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function markNotified(db: Db, id: string, seq: number, now: number): Promise<void> {
  await db.updateTable('reply_notices').set({ notified_at: now, updated_at: now }).where('id', '=', id).where('waiting_seq', '=', seq).execute();
}

/** Removes the notices of these conversations and their queued mails (in the caller's transaction). Returns how many went. */
export async function deleteReplyNoticesOfConversations(db: Db, conversationIds: string[]): Promise<number> {
  if (conversationIds.length === 0) return 0;
  await deleteOutboxOf(db, conversationIds.map(replyNoticeSubject));
  const r = await db.deleteFrom('reply_notices').where('conversation_id', 'in', conversationIds).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Sealed values for key rotation. */
export const listSealedReplyNotices = (db: Db): Promise<Array<Pick<ReplyNoticeRow, 'id' | 'email'>>> => db.selectFrom('reply_notices').select(['id', 'email']).execute();

export async function updateSealedReplyNotice(db: Db, id: string, expected: string, value: string): Promise<boolean> {
  const r = await db.updateTable('reply_notices').set({ email: value }).where('id', '=', id).where('email', '=', expected).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
