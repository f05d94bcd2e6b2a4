import type { Kysely } from 'kysely';

// The e-mail channel (issue 15): per mailbox, how far the IMAP reader got (UIDVALIDITY + last UID:
// server flags are not trusted, another mail program may change them) and which process reads it
// now (a lease that process renews; another takes over only after it ran out).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_mailboxes')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('uid_validity', 'text')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_mailboxes').execute();
}
