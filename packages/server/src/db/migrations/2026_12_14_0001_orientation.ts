import type { Kysely } from 'kysely';

// The orientation check: rule-set versions (never changed once saved, so a case summary keeps
// naming what produced it), the federal state a conversation came with (routing) and the states
// a counsellor covers. The case summary itself travels as a sealed message context.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('orientation_rule_sets')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('example', 'integer', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('conversations').addColumn('region', 'text').execute();
  await db.schema.alterTable('agents').addColumn('regions', 'text', (c) => c.notNull().defaultTo('[]')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('regions').execute();
  await db.schema.alterTable('conversations').dropColumn('region').execute();
  await db.schema.dropTable('orientation_rule_sets').execute();
}
