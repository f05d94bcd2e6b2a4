import { sql, type Kysely } from 'kysely';

// Channels (issue 15): connected provider accounts (Telegram bots, mailboxes, WhatsApp numbers,
// pages), the person's identity on a channel (on the conversation, sealed like messages, with a keyed
// lookup hash), provider message ids handled once, and the delivery state of each outgoing message.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    // Public settings, JSON.
    .addColumn('settings', 'text', (c) => c.notNull())
    // Sealed JSON of the secrets (AAD channel-secrets:<id>); never leaves the server.
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // Health: the last verified event, the last error (in words, no content).
    .addColumn('last_event_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'bigint')
    .execute();

  // The account a conversation came through, the person's identity on it (sealed, AAD contact:<id>),
  // an HMAC of account + identity to find their open conversation, the thread data the reply needs
  // (sealed, AAD thread:<id>) and when they last wrote (reply windows).
  await db.schema.alterTable('conversations').addColumn('channel_account_id', 'text', (c) => c.references('channel_accounts.id').onDelete('set null')).execute();
  await db.schema.alterTable('conversations').addColumn('contact', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('contact_key', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('channel_thread', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('last_inbound_at', 'bigint').execute();
  // One open conversation per person and account: of two processes opening one at once, one wins
  // (the other's writer reruns and finds it).
  await db.schema
    .createIndex('conversations_open_contact_unique')
    .on('conversations')
    .column('contact_key')
    .unique()
    .where(sql<boolean>`contact_key is not null and status <> 'closed'`)
    .execute();
  await db.schema.createIndex('conversations_contact_key_idx').on('conversations').columns(['contact_key', 'status']).execute();

  // What a person sent besides text: JSON [{type, size}], never the content.
  await db.schema.alterTable('messages').addColumn('attachments', 'text').execute();

  // Provider message ids handled already (a provider repeats events): one row per account and id.
  await db.schema
    .createTable('channel_inbound')
    .addColumn('account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    // Null for events that store no message (a greeting) and once the conversation is deleted.
    .addColumn('conversation_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_inbound_pk', ['account_id', 'provider_message_id'])
    .execute();
  await db.schema.createIndex('channel_inbound_conversation_idx').on('channel_inbound').column('conversation_id').execute();
  await db.schema.createIndex('channel_inbound_created_idx').on('channel_inbound').column('created_at').execute();

  // Delivery of each outgoing message on its channel: queued → sent → delivered → read, or failed (reason in words).
  await db.schema
    .createTable('channel_deliveries')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('channel_deliveries_provider_unique', ['account_id', 'provider_message_id'])
    .execute();
  await db.schema.createIndex('channel_deliveries_conversation_idx').on('channel_deliveries').column('conversation_id').execute();

  // Statuses that arrived before the send's answer named their message: applied when it does.
  await db.schema
    .createTable('channel_early_statuses')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_early_statuses_pk', ['account_id', 'provider_message_id', 'status'])
    .execute();
  await db.schema.createIndex('channel_early_statuses_created_idx').on('channel_early_statuses').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['channel_early_statuses', 'channel_deliveries', 'channel_inbound']) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('conversations_contact_key_idx').execute();
  await db.schema.dropIndex('conversations_open_contact_unique').execute();
  for (const c of ['last_inbound_at', 'channel_thread', 'contact_key', 'contact', 'channel_account_id']) await db.schema.alterTable('conversations').dropColumn(c).execute();
  await db.schema.alterTable('messages').dropColumn('attachments').execute();
  await db.schema.dropTable('channel_accounts').execute();
}
