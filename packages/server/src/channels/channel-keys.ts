import type { Db } from '../db/database.js';
import { Keyring } from '../security/keyring.js';
import { listSealedContacts, listSealedSecrets } from './channel.repository.js';
import { contactKey } from './contact-key.js';

/**
 * Key rotation for channels (security/rotate.ts): each conversation's contact and thread data and
 * each account's secrets are sealed again with the current key, and the contact's lookup key is
 * made again under it. Compare-and-set: a concurrent change wins. @returns values rewritten
 */
export async function resealChannelData(db: Db, keyring: Keyring, failed: Set<string>): Promise<number> {
  const current = keyring.currentKeyId;
  let changed = 0;
  for (const r of await listSealedContacts(db)) {
    const contact = r.contact!;
    if (Keyring.keyIdOfValue(contact) === current && (r.channel_thread === null || Keyring.keyIdOfValue(r.channel_thread) === current)) continue;
    let plain: string;
    let thread: string | null = null;
    try {
      plain = keyring.open(contact, `contact:${r.id}`);
      if (r.channel_thread !== null) thread = keyring.open(r.channel_thread, `thread:${r.id}`);
    } catch {
      failed.add(`contact:${r.id}`);
      continue;
    }
    const update = await db
      .updateTable('conversations')
      .set({
        contact: keyring.seal(plain, `contact:${r.id}`),
        ...(r.channel_account_id ? { contact_key: contactKey(keyring, r.channel_account_id, plain) } : {}),
        ...(thread !== null ? { channel_thread: keyring.seal(thread, `thread:${r.id}`) } : {}),
      })
      .where('id', '=', r.id)
      .where('contact', '=', contact)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) === 1) changed++;
  }
  for (const a of await listSealedSecrets(db)) {
    if (Keyring.keyIdOfValue(a.secrets) === current) continue;
    let plain: string;
    try {
      plain = keyring.open(a.secrets, `channel-secrets:${a.id}`);
    } catch {
      failed.add(`channel-secrets:${a.id}`);
      continue;
    }
    const update = await db.updateTable('channel_accounts').set({ secrets: keyring.seal(plain, `channel-secrets:${a.id}`) }).where('id', '=', a.id).where('secrets', '=', a.secrets).executeTakeFirst();
    if (Number(update.numUpdatedRows) === 1) changed++;
  }
  return changed;
}

/** Sealed channel values per key id (contacts, thread data, account secrets), for `direturn keys` and copy-to-postgres. */
export async function countChannelKeys(db: Db, counts: Map<string, number>): Promise<void> {
  const add = (value: string | null) => {
    if (value === null) return;
    const kid = Keyring.keyIdOfValue(value) ?? 'plaintext';
    counts.set(kid, (counts.get(kid) ?? 0) + 1);
  };
  for (const r of await listSealedContacts(db)) {
    add(r.contact);
    add(r.channel_thread);
  }
  for (const a of await listSealedSecrets(db)) add(a.secrets);
}
