import type { Kysely } from 'kysely';

// Reply notices (issue 15): a widget visitor's e-mail address (sealed) to hear that a reply waits,
// one row per conversation, deleted with it or when the visitor removes it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reply_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().unique().references('conversations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('waiting_seq', 'integer')
    .addColumn('notified_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reply_notices').execute();
}
