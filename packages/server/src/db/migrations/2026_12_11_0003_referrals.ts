import type { Kysely } from 'kysely';

// Warm referrals: consent, the office's link (hash only), status over time, anonymous counts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('include_transcript', 'integer', (c) => c.notNull())
    .addColumn('transcript_seq', 'integer')
    .addColumn('contact', 'text')
    .addColumn('contact_kind', 'text')
    .addColumn('district_key', 'text')
    .addColumn('state_key', 'text')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('link_token', 'text')
    .addColumn('link_expires_at', 'bigint')
    .addColumn('form_secret', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_at', 'bigint')
    .execute();
  await db.schema.createIndex('referrals_conversation_idx').on('referrals').columns(['conversation_id', 'created_at']).execute();
  await db.schema.createIndex('referrals_status_idx').on('referrals').columns(['status', 'updated_at']).execute();

  await db.schema
    .createTable('referral_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referral_events_referral_idx').on('referral_events').columns(['referral_id', 'at']).execute();

  await db.schema
    .createTable('referral_stats')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('district_key', 'text', (c) => c.notNull())
    .addColumn('state_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('referral_stats_pk', ['month', 'office_id', 'district_key', 'state_key', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('referral_stats').execute();
  await db.schema.dropTable('referral_events').execute();
  await db.schema.dropTable('referrals').execute();
}
