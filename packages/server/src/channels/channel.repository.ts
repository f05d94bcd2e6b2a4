import type { ChannelDeliveryStatus } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { deleteOutboxOf } from '../outbox/outbox.repository.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import type { ChannelAccountRow, ChannelAccountTable, ChannelDeliveryRow, ChannelEarlyStatusTable } from './channel.table.js';

// Storage of channels: SQL only. Sealing, rules and events are in the services.

/** The outbox subject of a conversation's channel deliveries: they go when it is deleted. */
export const conversationSubject = (conversationId: string): string => `conversation:${conversationId}`;
/** The outbox subject of an account's greetings (no conversation): they go when it is removed. */
export const accountSubject = (accountId: string): string => `channel-account:${accountId}`;

// ---- accounts ----

export type ChannelAccountWithSite = ChannelAccountRow & { site_name: string };

const accountsQuery = (db: Db) => db.selectFrom('channel_accounts as a').innerJoin('sites as s', 's.id', 'a.site_id').selectAll('a').select('s.name as site_name');

export const findAccount = (db: Db, id: string): Promise<ChannelAccountWithSite | undefined> => accountsQuery(db).where('a.id', '=', id).executeTakeFirst();

export const listAccounts = (db: Db): Promise<ChannelAccountWithSite[]> => accountsQuery(db).orderBy('a.created_at').orderBy('a.id').execute();

export const listActiveAccounts = (db: Db, kind: ChannelAccountRow['kind']): Promise<ChannelAccountWithSite[]> =>
  accountsQuery(db).where('a.kind', '=', kind).where('a.status', '=', 'active').orderBy('a.created_at').execute();

export async function insertAccount(db: Db, row: ChannelAccountTable): Promise<void> {
  await db.insertInto('channel_accounts').values(row).execute();
}

export async function updateAccount(
  db: Db,
  id: string,
  changes: Partial<Pick<ChannelAccountTable, 'name' | 'site_id' | 'status' | 'settings' | 'secrets' | 'updated_at'>>,
): Promise<boolean> {
  const r = await db.updateTable('channel_accounts').set(changes).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Removes an account: its conversations stay (history, retention), without the account; its handled ids and greetings go. */
export async function deleteAccount(db: Db, id: string): Promise<boolean> {
  await db.updateTable('conversations').set({ channel_account_id: null }).where('channel_account_id', '=', id).execute();
  await db.deleteFrom('channel_inbound').where('account_id', '=', id).execute();
  await db.deleteFrom('channel_early_statuses').where('account_id', '=', id).execute();
  await deleteOutboxOf(db, [accountSubject(id)]);
  const r = await db.deleteFrom('channel_accounts').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function recordAccountEvent(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('channel_accounts').set({ last_event_at: at }).where('id', '=', id).execute();
}

export async function recordAccountError(db: Db, id: string, error: string, at: number): Promise<void> {
  await db.updateTable('channel_accounts').set({ last_error: error, last_error_at: at }).where('id', '=', id).execute();
}

// ---- handled provider ids ----

export const findInbound = (db: Db, accountId: string, providerMessageId: string) =>
  db.selectFrom('channel_inbound').selectAll().where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).executeTakeFirst();

/** Records a provider id as handled (a second insert of the same id fails on the primary key: the writer reruns and sees it). */
export async function insertInbound(db: Db, row: { account_id: string; provider_message_id: string; conversation_id: string | null; message_id: string | null; created_at: number }): Promise<void> {
  await db.insertInto('channel_inbound').values(row).execute();
}

// ---- the person's conversation ----

/** The person's open conversation on this account, by any of their lookup keys (one per configured encryption key). */
export const findOpenConversationByContact = (db: Db, accountId: string, contactKeys: string[]): Promise<ConversationRow | undefined> =>
  db
    .selectFrom('conversations')
    .selectAll()
    .where('contact_key', 'in', contactKeys)
    .where('channel_account_id', '=', accountId)
    .where('status', '!=', 'closed')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();

export async function updateConversationChannel(
  db: Db,
  id: string,
  changes: Partial<Pick<ConversationRow, 'contact_key' | 'channel_thread' | 'last_inbound_at' | 'contact'>>,
): Promise<void> {
  await db.updateTable('conversations').set(changes).where('id', '=', id).execute();
}

/** A counsellor's reply with what its delivery needs: the conversation's account and contact (sealed). */
export const findReplyForDelivery = (db: Db, messageId: string) =>
  db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .innerJoin('channel_deliveries as d', 'd.message_id', 'm.id')
    .select(['m.id', 'm.body', 'm.conversation_id', 'c.channel_account_id', 'c.contact', 'c.channel_thread', 'c.language', 'c.last_inbound_at', 'd.status', 'd.account_id'])
    .where('m.id', '=', messageId)
    .executeTakeFirst();

// ---- delivery state ----

export async function insertDelivery(db: Db, row: ChannelDeliveryRow): Promise<void> {
  await db.insertInto('channel_deliveries').values(row).execute();
}

export const findDelivery = (db: Db, messageId: string): Promise<ChannelDeliveryRow | undefined> =>
  db.selectFrom('channel_deliveries').selectAll().where('message_id', '=', messageId).executeTakeFirst();

export const findDeliveryByProviderId = (db: Db, accountId: string, providerMessageId: string): Promise<ChannelDeliveryRow | undefined> =>
  db.selectFrom('channel_deliveries').selectAll().where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).executeTakeFirst();

/**
 * Moves a delivery to `status` when that is progress (see `advances`): compare-and-set on the
 * status it had, so two reports at once cannot step back. @returns whether it changed.
 */
export async function updateDelivery(
  db: Db,
  messageId: string,
  from: ChannelDeliveryStatus,
  changes: { status: ChannelDeliveryStatus; reason: string | null; provider_message_id?: string; updated_at: number },
): Promise<boolean> {
  const r = await db.updateTable('channel_deliveries').set(changes).where('message_id', '=', messageId).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Keeps a status whose message is not known yet (a second report of the same status is ignored). */
export async function insertEarlyStatus(db: Db, row: ChannelEarlyStatusTable): Promise<void> {
  await db
    .insertInto('channel_early_statuses')
    .values(row)
    .onConflict((oc) => oc.columns(['account_id', 'provider_message_id', 'status']).doNothing())
    .execute();
}

/** Takes (reads and deletes) the statuses that waited for this provider id. */
export async function takeEarlyStatuses(db: Db, accountId: string, providerMessageId: string): Promise<ChannelEarlyStatusTable[]> {
  const rows = await db.selectFrom('channel_early_statuses').selectAll().where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).execute();
  if (rows.length) await db.deleteFrom('channel_early_statuses').where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).execute();
  return rows;
}

// ---- deletion and housekeeping ----

/**
 * With their conversations: delivery states and queued replies go; handled provider ids stay (a
 * replay must not reopen a deleted conversation) but forget which message they became.
 */
export async function deleteChannelDataOfConversations(db: Db, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await db.deleteFrom('channel_deliveries').where('conversation_id', 'in', chunk).execute();
    await db.updateTable('channel_inbound').set({ conversation_id: null, message_id: null }).where('conversation_id', 'in', chunk).execute();
    await deleteOutboxOf(db, chunk.map(conversationSubject));
  }
}

/** Handled ids and early statuses older than `before`: providers repeat events for hours, not weeks. */
export async function purgeChannelBookkeeping(db: Db, before: number): Promise<{ inbound: number; early: number }> {
  const a = await db.deleteFrom('channel_inbound').where('created_at', '<', before).executeTakeFirst();
  const b = await db.deleteFrom('channel_early_statuses').where('created_at', '<', before).executeTakeFirst();
  return { inbound: Number(a.numDeletedRows), early: Number(b.numDeletedRows) };
}

// ---- key rotation ----

export const listSealedContacts = (db: Db) =>
  db.selectFrom('conversations').select(['id', 'channel_account_id', 'contact', 'contact_key', 'channel_thread']).where('contact', 'is not', null).execute();

export const listSealedSecrets = (db: Db) => db.selectFrom('channel_accounts').select(['id', 'secrets']).execute();
