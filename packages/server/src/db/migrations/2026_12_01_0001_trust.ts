import type { Kysely } from 'kysely';

// Trust: audit log, TOTP second factor, recovery codes, settings. Portable like the first
// migration: text ids, bigint epoch-ms, JSON as text. The audit log has no foreign keys on
// purpose: its lines outlive the conversations (deleted by retention) and agents they name.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('target_agent_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_conversation_idx').on('audit_log').columns(['conversation_id', 'at']).execute();

  await db.schema
    .createTable('agent_totp')
    .addColumn('agent_id', 'text', (c) => c.primaryKey().references('agents.id').onDelete('cascade'))
    /** The shared secret, encrypted like message bodies. */
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    /** null while enrolment is not yet confirmed with a code. */
    .addColumn('enabled_at', 'bigint')
    /** TOTP time step of the last accepted code: a code is accepted once. */
    .addColumn('last_step', 'bigint')
    .execute();

  await db.schema
    .createTable('agent_recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('agent_recovery_codes_agent_idx').on('agent_recovery_codes').column('agent_id').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // The retention job looks for closed conversations by close time and inactive visitors.
  await db.schema.createIndex('conversations_closed_idx').on('conversations').columns(['status', 'closed_at']).execute();
  await db.schema.createIndex('visitors_last_seen_idx').on('visitors').column('last_seen_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('visitors_last_seen_idx').execute();
  await db.schema.dropIndex('conversations_closed_idx').execute();
  for (const table of ['settings', 'agent_recovery_codes', 'agent_totp', 'audit_log']) await db.schema.dropTable(table).execute();
}
