import type { Kysely } from 'kysely';

// Callback requests (issue 16): a visitor's number (sealed), the language to speak, time windows,
// who claimed it and the outcome. The number and the topic go when the callback is done, or by
// retention; the row (outcome, sealed note) goes with its conversation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('last_attempt', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phone', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('windows', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('last_window_end', 'bigint', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('note', 'text')
    .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('calls_from', 'bigint')
    .execute();
  await db.schema.createIndex('callbacks_status_due_idx').on('callbacks').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('callbacks_conversation_idx').on('callbacks').columns(['conversation_id', 'created_at']).execute();
  await db.schema.createIndex('callbacks_request_idx').on('callbacks').column('request_id').execute();
  await db.schema.createIndex('callbacks_window_end_idx').on('callbacks').column('last_window_end').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('callbacks').execute();
}
