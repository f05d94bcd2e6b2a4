import type { Db } from '../db/database.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import type { SavedReplyRow, SavedReplyTable, SavedReplyTranslationRow } from './saved-reply.table.js';

// Only SQL. Visibility is a query condition here (shared, or owned by the asking agent), so a
// personal reply of another agent is never loaded, not merely filtered out afterwards.

/** The replies an agent may see: every shared one and their own personal ones. */
export const listVisible = (db: Db, agentId: string, limit: number): Promise<SavedReplyRow[]> =>
  db
    .selectFrom('saved_replies')
    .selectAll()
    .where((eb) => eb.or([eb('scope', '=', 'shared'), eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', agentId)])]))
    .orderBy('scope', 'desc') // shared first
    .orderBy('shortcut')
    .orderBy('created_at')
    .limit(limit)
    .execute();

export const findVisible = (db: Db, id: string, agentId: string): Promise<SavedReplyRow | undefined> =>
  db
    .selectFrom('saved_replies')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('scope', '=', 'shared'), eb('owner_id', '=', agentId)]))
    .executeTakeFirst();

export const translationsOf = (db: Db, replyIds: readonly string[]): Promise<SavedReplyTranslationRow[]> =>
  replyIds.length === 0
    ? Promise.resolve([])
    : db.selectFrom('saved_reply_translations').selectAll().where('reply_id', 'in', replyIds).orderBy('reply_id').orderBy('language').execute();

export async function insertReply(db: Db, row: SavedReplyRow, translations: readonly SavedReplyTranslationRow[]): Promise<void> {
  await db.insertInto('saved_replies').values(row).execute();
  if (translations.length) await db.insertInto('saved_reply_translations').values([...translations]).execute();
}

/** Replaces the reply's fields and all its translations (run inside a transaction). */
export async function replaceReply(db: Db, id: string, set: Partial<Omit<SavedReplyTable, 'id'>>, translations: readonly SavedReplyTranslationRow[]): Promise<void> {
  await db.updateTable('saved_replies').set(set).where('id', '=', id).execute();
  await db.deleteFrom('saved_reply_translations').where('reply_id', '=', id).execute();
  if (translations.length) await db.insertInto('saved_reply_translations').values([...translations]).execute();
}

export async function deleteReply(db: Db, id: string): Promise<void> {
  // Explicit, so the result does not depend on the foreign-key pragma of whoever opened the file.
  await db.deleteFrom('saved_reply_translations').where('reply_id', '=', id).execute();
  await db.deleteFrom('saved_replies').where('id', '=', id).execute();
}

export const countExamples = async (db: Db): Promise<number> =>
  Number((await db.selectFrom('saved_replies').select((eb) => eb.fn.countAll<number>().as('n')).where('example', '=', 1).executeTakeFirstOrThrow()).n);

/** What inserting a reply into a conversation needs: its language, who may see it, the site's name. */
export const conversationForReply = (db: Db, conversationId: string): Promise<(Pick<ConversationRow, 'status' | 'agent_id' | 'language'> & { site_name: string }) | undefined> =>
  db
    .selectFrom('conversations as c')
    .innerJoin('sites as s', 's.id', 'c.site_id')
    .select(['c.status', 'c.agent_id', 'c.language', 's.name as site_name'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
