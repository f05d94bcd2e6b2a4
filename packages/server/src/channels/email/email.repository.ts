import type { Db } from '../../db/database.js';
import type { MailboxCursor } from './imap-reader.js';

/**
 * Takes or renews the lease on an account's mailbox for `owner` until `until`: true when this owner
 * holds it now. Atomic on both databases (one conditional UPDATE; the row is created first).
 */
export async function takeLease(db: Db, accountId: string, owner: string, now: number, until: number): Promise<boolean> {
  await db
    .insertInto('email_mailboxes')
    .values({ account_id: accountId, uid_validity: null, last_uid: 0, lease_owner: null, lease_until: 0, updated_at: now })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
  const r = await db
    .updateTable('email_mailboxes')
    .set({ lease_owner: owner, lease_until: until, updated_at: now })
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives the lease up (server stops, account paused): another process may take it at once. */
export async function releaseLease(db: Db, accountId: string, owner: string, now: number): Promise<void> {
  await db.updateTable('email_mailboxes').set({ lease_owner: null, lease_until: 0, updated_at: now }).where('account_id', '=', accountId).where('lease_owner', '=', owner).execute();
}

export async function loadCursor(db: Db, accountId: string): Promise<MailboxCursor | undefined> {
  const row = await db.selectFrom('email_mailboxes').select(['uid_validity', 'last_uid']).where('account_id', '=', accountId).executeTakeFirst();
  return row?.uid_validity ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) } : undefined;
}

/** Moves the cursor, only while `owner` holds the lease (a process that lost it must not write). */
export async function saveCursor(db: Db, accountId: string, owner: string, cursor: MailboxCursor, now: number): Promise<boolean> {
  const r = await db
    .updateTable('email_mailboxes')
    .set({ uid_validity: cursor.uidValidity, last_uid: cursor.lastUid, updated_at: now })
    .where('account_id', '=', accountId)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether a provider message id was handled for this account (channel_inbound, kept a week by the channel service). */
export async function inboundKnown(db: Db, accountId: string, providerMessageId: string): Promise<boolean> {
  const row = await db.selectFrom('channel_inbound').select('account_id').where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).executeTakeFirst();
  return row !== undefined;
}

/** How many messages the person has written in a conversation (the automatic answer goes after the first). */
export async function countPersonMessages(db: Db, conversationId: string): Promise<number> {
  const { n } = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .where('author', '=', 'visitor')
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** What the automatic answer needs of a conversation (sealed columns, opened by the caller). */
export const findConversationForAnswer = (db: Db, conversationId: string) =>
  db.selectFrom('conversations').select(['id', 'channel_account_id', 'contact', 'channel_thread', 'language', 'status']).where('id', '=', conversationId).executeTakeFirst();
