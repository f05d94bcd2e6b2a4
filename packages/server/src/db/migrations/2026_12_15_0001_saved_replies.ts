import type { Kysely } from 'kysely';

// Saved replies (a shared library and counsellors' personal ones, one text per language) and the
// visitors' resume codes (a selector to find the row, an HMAC of the whole code to check it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saved_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    // Personal replies belong to one agent and go with their account.
    .addColumn('owner_id', 'text', (c) => c.references('agents.id').onDelete('cascade'))
    .addColumn('shortcut', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('example', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_replies_scope_owner_idx').on('saved_replies').columns(['scope', 'owner_id']).execute();
  await db.schema
    .createTable('saved_reply_translations')
    .addColumn('reply_id', 'text', (c) => c.notNull().references('saved_replies.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('saved_reply_translations_pk', ['reply_id', 'language'])
    .execute();

  await db.schema
    .createTable('visitor_resume_codes')
    .addColumn('visitor_id', 'text', (c) => c.primaryKey().references('visitors.id').onDelete('cascade'))
    .addColumn('selector', 'text', (c) => c.notNull().unique())
    .addColumn('verifier_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['visitor_resume_codes', 'saved_reply_translations', 'saved_replies']) await db.schema.dropTable(t).execute();
}
