import { sql, type Kysely } from 'kysely';

// Issue 14 (accounts and sites): an admin's password reset (the agent must choose a new password
// at the next login), and what admins manage of a site: enabled, time zone, opening hours, away
// messages. Portable like the others: epoch-ms bigints, JSON as text, no booleans.
export async function up(db: Kysely<unknown>): Promise<void> {
  /** Epoch ms of an admin's reset; set while the agent still has to replace the one-time password. */
  await db.schema.alterTable('agents').addColumn('password_reset_at', 'bigint').execute();
  /** Epoch ms when an admin disabled the site; null while its widget opens. */
  await db.schema.alterTable('sites').addColumn('disabled_at', 'bigint').execute();
  await db.schema.alterTable('sites').addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Berlin')).execute();
  /** JSON `OpeningHours`; null = always open (every site before this migration). */
  await db.schema.alterTable('sites').addColumn('opening_hours', 'text').execute();
  /** JSON object language → the operator's away message. */
  await db.schema.alterTable('sites').addColumn('away_messages', 'text', (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['away_messages', 'opening_hours', 'time_zone', 'disabled_at']) await db.schema.alterTable('sites').dropColumn(column).execute();
  await db.schema.alterTable('agents').dropColumn('password_reset_at').execute();
}
