import type { Db } from '../db/database.js';
import type { TopicRow } from './topic.table.js';

export const listTopics = (db: Db): Promise<TopicRow[]> => db.selectFrom('topics').selectAll().orderBy('created_at').orderBy('key').orderBy('label').execute();

export const findTopic = (db: Db, id: string): Promise<TopicRow | undefined> => db.selectFrom('topics').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertTopic(db: Db, row: TopicRow): Promise<void> {
  await db.insertInto('topics').values(row).execute();
}

export async function updateTopic(db: Db, id: string, changes: Partial<Pick<TopicRow, 'label' | 'archived_at'>>): Promise<void> {
  await db.updateTable('topics').set(changes).where('id', '=', id).execute();
}

/** How many of `ids` are topics that are offered (not archived). */
export async function countOfferedTopics(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { n } = await db.selectFrom('topics').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids).where('archived_at', 'is', null).executeTakeFirstOrThrow();
  return Number(n);
}

/** Replaces the topics of a conversation. Call inside a transaction. */
export async function replaceConversationTopics(db: Db, conversationId: string, topicIds: readonly string[]): Promise<void> {
  await db.deleteFrom('conversation_topics').where('conversation_id', '=', conversationId).execute();
  if (topicIds.length) await db.insertInto('conversation_topics').values(topicIds.map((topic_id) => ({ conversation_id: conversationId, topic_id }))).execute();
}

/** The topic ids of each conversation. */
export async function topicsOfConversations(db: Db, conversationIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (conversationIds.length === 0) return out;
  const rows = await db.selectFrom('conversation_topics').select(['conversation_id', 'topic_id']).where('conversation_id', 'in', conversationIds).orderBy('topic_id').execute();
  for (const r of rows) out.set(r.conversation_id, [...(out.get(r.conversation_id) ?? []), r.topic_id]);
  return out;
}

/** Adds the built-in topics that are missing (processes starting at once: the unique key lets one win). */
export async function insertMissingBuiltins(db: Db, keys: readonly string[], now: number, newId: () => string): Promise<void> {
  for (const key of keys) {
    await db.insertInto('topics').values({ id: newId(), key, label: null, created_at: now, archived_at: null }).onConflict((oc) => oc.column('key').doNothing()).execute();
  }
}
