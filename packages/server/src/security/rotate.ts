import type { Db } from '../db/database.js';
import {
  countSealedByKey,
  listContextsNotSealedWith,
  listMessagesNotSealedWith,
  listNotesNotSealedWith,
  updateNoteBody,
  listPageUrlsNotSealedWith,
  updateMessageBody,
  updateMessageContext,
  updatePageUrl,
} from '../conversations/conversation.repository.js';
import { listSealedReferrals, updateSealed } from '../referrals/referral.repository.js';
import { listSealedCallbacks, updateSealedCallback } from '../callbacks/callback.repository.js';
import { listSealedReplyNotices, updateSealedReplyNotice } from '../reply-notices/reply-notice.repository.js';
import { Keyring } from './keyring.js';
import { countChannelKeys, resealChannelData } from '../channels/channel-keys.js';

interface Sealed {
  id: string;
  value: string;
}

/**
 * One kind of sealed value, in batches of its own transactions: opens each with whatever key it
 * was sealed with and seals it with the current one (compare-and-set, so a concurrent change
 * wins). Values whose key is no longer configured land in `failed`, never destroyed.
 */
async function resealKind(
  db: Db,
  keyring: Keyring,
  kind: { list: (limit: number) => Promise<Sealed[]>; aad: (id: string) => string; update: (trx: Db, row: Sealed, sealed: string) => Promise<boolean> },
  batch: number,
  failed: Set<string>,
  onBatch: (changed: number) => void,
): Promise<number> {
  let changed = 0;
  for (;;) {
    const rows = (await kind.list(batch + failed.size)).filter((r) => !failed.has(r.id)).slice(0, batch);
    if (rows.length === 0) return changed;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        let plain: string;
        try {
          plain = keyring.open(r.value, kind.aad(r.id));
        } catch {
          failed.add(r.id);
          continue;
        }
        if (await kind.update(trx, r, keyring.seal(plain, kind.aad(r.id)))) changed++;
      }
    });
    onBatch(changed);
  }
}

/**
 * Re-encrypts every message body, message context, page address, referral (summary, contact, link), callback (number, topic, note) and TOTP secret not sealed
 * with the current key,
 * in small batches, each its own transaction, so a running server keeps writing meanwhile. Rows
 * written by the server with the previous key during the switch are caught by the next pass.
 */
export async function reencryptAll(
  db: Db,
  keyring: Keyring,
  opts: { batch?: number; onProgress?: (done: number) => void } = {},
): Promise<{ messages: number; pages: number; contexts: number; notes: number; failed: number }> {
  const batch = opts.batch ?? 500;
  const done = { messages: 0, pages: 0, contexts: 0, notes: 0 };
  const failed = new Set<string>();
  for (let pass = 0; pass < 5; pass++) {
    const current = keyring.currentKeyId;
    const kinds: Array<{ name: keyof typeof done; kind: Parameters<typeof resealKind>[2] }> = [
      {
        name: 'messages',
        kind: {
          list: async (limit) => (await listMessagesNotSealedWith(db, current, limit)).map((r) => ({ id: r.id, value: r.body })),
          aad: (id) => `message:${id}`,
          update: (trx, r, sealed) => updateMessageBody(trx, r.id, r.value, sealed),
        },
      },
      {
        name: 'pages',
        kind: {
          list: async (limit) => (await listPageUrlsNotSealedWith(db, current, limit)).map((r) => ({ id: r.id, value: r.page_url })),
          aad: (id) => `page:${id}`,
          update: (trx, r, sealed) => updatePageUrl(trx, r.id, r.value, sealed),
        },
      },
      {
        name: 'contexts',
        kind: {
          list: async (limit) => (await listContextsNotSealedWith(db, current, limit)).map((r) => ({ id: r.id, value: r.context })),
          aad: (id) => `context:${id}`,
          update: (trx, r, sealed) => updateMessageContext(trx, r.id, r.value, sealed),
        },
      },
      {
        // Counsellors' internal notes, sealed like messages.
        name: 'notes',
        kind: {
          list: async (limit) => (await listNotesNotSealedWith(db, current, limit)).map((r) => ({ id: r.id, value: r.body })),
          aad: (id) => `note:${id}`,
          update: (trx, r, sealed) => updateNoteBody(trx, r.id, r.value, sealed),
        },
      },
    ];
    let changed = 0;
    for (const { name, kind } of kinds) {
      const before = done[name];
      const n = await resealKind(db, keyring, kind, batch, failed, (k) => {
        if (name === 'messages') opts.onProgress?.(before + k); // progress counts messages, the bulk
      });
      done[name] += n;
      changed += n;
    }
    // Referrals (summary, the visitor's contact for the office, the link until mailed): few rows, one go.
    for (const r of await listSealedReferrals(db)) {
      for (const [column, aad] of [['summary', `referral:${r.id}`], ['contact', `referral-contact:${r.id}`], ['link_token', `referral-link:${r.id}`]] as const) {
        const value = r[column];
        if (value === null || Keyring.keyIdOfValue(value) === current) continue;
        let plain: string;
        try {
          plain = keyring.open(value, aad);
        } catch {
          failed.add(`${column}:${r.id}`);
          continue;
        }
        if (await updateSealed(db, r.id, column, value, keyring.seal(plain, aad))) changed++;
      }
    }
    // Channel contacts, thread data and account secrets (and the contacts' lookup keys).
    changed += await resealChannelData(db, keyring, failed);
    // Callback requests (the number while not handled, the topic, the counsellor's note): few rows, one go.
    for (const r of await listSealedCallbacks(db)) {
      for (const [column, aad] of [['phone', `callback-phone:${r.id}`], ['topic', `callback-topic:${r.id}`], ['note', `callback-note:${r.id}`]] as const) {
        const value = r[column];
        if (value === null || Keyring.keyIdOfValue(value) === current) continue;
        let plain: string;
        try {
          plain = keyring.open(value, aad);
        } catch {
          failed.add(`${column}:${r.id}`);
          continue;
        }
        if (await updateSealedCallback(db, r.id, column, value, keyring.seal(plain, aad))) changed++;
      }
    }
    // Reply-notice addresses: few rows, one go.
    for (const r of await listSealedReplyNotices(db)) {
      if (Keyring.keyIdOfValue(r.email) === current) continue;
      let plain: string;
      try {
        plain = keyring.open(r.email, `reply-notice-address:${r.id}`);
      } catch {
        failed.add(`reply-notice:${r.id}`);
        continue;
      }
      if (await updateSealedReplyNotice(db, r.id, r.email, keyring.seal(plain, `reply-notice-address:${r.id}`))) changed++;
    }
    // TOTP secrets: few rows, one go.
    const totps = await db.selectFrom('agent_totp').select(['agent_id', 'secret']).execute();
    for (const t of totps) {
      if (Keyring.keyIdOfValue(t.secret) === current) continue;
      let plain: string;
      try {
        plain = keyring.open(t.secret, `totp:${t.agent_id}`);
      } catch {
        failed.add(`totp:${t.agent_id}`); // its key is gone: reported like the others, never destroyed
        continue;
      }
      const sealed = keyring.seal(plain, `totp:${t.agent_id}`);
      await db.updateTable('agent_totp').set({ secret: sealed }).where('agent_id', '=', t.agent_id).where('secret', '=', t.secret).execute();
    }
    if (changed === 0) break;
  }
  return { ...done, failed: failed.size };
}

/** Key ids still referenced by stored values (messages, page addresses, referrals, callbacks and TOTP secrets). */
export async function keysInUse(db: Db): Promise<Map<string, number>> {
  const counts = await countSealedByKey(db);
  for (const r of await listSealedReferrals(db)) {
    for (const value of [r.summary, r.contact, r.link_token]) {
      if (value === null) continue;
      const kid = Keyring.keyIdOfValue(value) ?? 'plaintext';
      counts.set(kid, (counts.get(kid) ?? 0) + 1);
    }
  }
  for (const r of await listSealedCallbacks(db)) {
    for (const value of [r.phone, r.topic, r.note]) {
      if (value === null) continue;
      const kid = Keyring.keyIdOfValue(value) ?? 'plaintext';
      counts.set(kid, (counts.get(kid) ?? 0) + 1);
    }
  }
  for (const r of await listSealedReplyNotices(db)) {
    const kid = Keyring.keyIdOfValue(r.email) ?? 'plaintext';
    counts.set(kid, (counts.get(kid) ?? 0) + 1);
  }
  for (const t of await db.selectFrom('agent_totp').select('secret').execute()) {
    const kid = Keyring.keyIdOfValue(t.secret) ?? 'plaintext';
    counts.set(kid, (counts.get(kid) ?? 0) + 1);
  }
  await countChannelKeys(db, counts);
  return counts;
}
