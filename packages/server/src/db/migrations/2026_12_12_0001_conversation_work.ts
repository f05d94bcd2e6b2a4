import type { Kysely } from 'kysely';
import { newPseudonym } from '../../conversations/pseudonym.js';

// Counsellor work (issue 14): who holds a conversation since when, its pseudonym, internal notes,
// counsellors' availability and load, topics. The built-in topics are added at start
// (topics/topic.service.ts), not here: a migrated, empty database stays empty for copy-to-postgres.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('pseudonym', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('held_since', 'bigint').execute();
  // Existing conversations get theirs too (random, as new ones do) and their claim as "since".
  for (const { id } of await db.selectFrom('conversations').select('id').execute()) {
    await db.updateTable('conversations').set({ pseudonym: newPseudonym() }).where('id', '=', id).execute();
  }
  await db.updateTable('conversations').set((eb: any) => ({ held_since: eb.ref('claimed_at') })).where('agent_id', 'is not', null).execute();

  await db.schema
    .createTable('conversation_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('to_agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
    // Sealed like message bodies (AAD note:<id>).
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('after_seq', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_notes_conversation_idx').on('conversation_notes').columns(['conversation_id', 'created_at']).execute();

  await db.schema
    .createTable('agent_status')
    .addColumn('agent_id', 'text', (c) => c.primaryKey().references('agents.id').onDelete('cascade'))
    .addColumn('availability', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    // Last moment a process saw the counsellor connected (refreshed while connected).
    .addColumn('last_seen_at', 'bigint')
    .addColumn('max_parallel', 'integer')
    .execute();

  await db.schema
    .createTable('topics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .execute();

  await db.schema
    .createTable('conversation_topics')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('topic_id', 'text', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('conversation_topics_pk', ['conversation_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('conversation_topics_topic_idx').on('conversation_topics').columns(['topic_id']).execute();
  await db.schema.createIndex('conversations_language_idx').on('conversations').columns(['language', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_language_idx').execute();
  await db.schema.dropTable('conversation_topics').execute();
  await db.schema.dropTable('topics').execute();
  await db.schema.dropTable('agent_status').execute();
  await db.schema.dropTable('conversation_notes').execute();
  await db.schema.alterTable('conversations').dropColumn('held_since').execute();
  await db.schema.alterTable('conversations').dropColumn('pseudonym').execute();
}
