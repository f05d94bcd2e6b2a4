import type { Db } from '../db/database.js';
import { countMessagesByKey, listMessagesNotSealedWith, updateMessageBody } from '../conversations/conversation.repository.js';
import { Keyring } from './keyring.js';

/**
 * Re-encrypts every message body (and TOTP secret) not sealed with the current key, in small
 * batches, each its own transaction, so a running server keeps writing meanwhile. Rows written by
 * the server with the previous key during the switch are caught by the next pass.
 */
export async function reencryptAll(db: Db, keyring: Keyring, opts: { batch?: number; onProgress?: (done: number) => void } = {}): Promise<{ messages: number; failed: number }> {
  const batch = opts.batch ?? 500;
  let messages = 0;
  const failed = new Set<string>();
  for (let pass = 0; pass < 5; pass++) {
    const current = keyring.currentKeyId;
    let changed = 0;
    for (;;) {
      const rows = (await listMessagesNotSealedWith(db, current, batch + failed.size)).filter((r) => !failed.has(r.id)).slice(0, batch);
      if (rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const r of rows) {
          let plain: string;
          try {
            plain = keyring.open(r.body, `message:${r.id}`);
          } catch {
            failed.add(r.id); // a key that is no longer configured: reported, never destroyed
            continue;
          }
          if (await updateMessageBody(trx, r.id, r.body, keyring.seal(plain, `message:${r.id}`))) changed++;
        }
      });
      opts.onProgress?.(messages + changed);
    }
    messages += changed;
    // TOTP secrets: few rows, one go.
    const totps = await db.selectFrom('agent_totp').select(['agent_id', 'secret']).execute();
    for (const t of totps) {
      if (Keyring.keyIdOfValue(t.secret) === current) continue;
      const sealed = keyring.seal(keyring.open(t.secret, `totp:${t.agent_id}`), `totp:${t.agent_id}`);
      await db.updateTable('agent_totp').set({ secret: sealed }).where('agent_id', '=', t.agent_id).where('secret', '=', t.secret).execute();
    }
    if (changed === 0) break;
  }
  return { messages, failed: failed.size };
}

/** Key ids still referenced by stored values (messages and TOTP secrets). */
export async function keysInUse(db: Db): Promise<Map<string, number>> {
  const counts = await countMessagesByKey(db);
  for (const t of await db.selectFrom('agent_totp').select('secret').execute()) {
    const kid = Keyring.keyIdOfValue(t.secret) ?? 'plaintext';
    counts.set(kid, (counts.get(kid) ?? 0) + 1);
  }
  return counts;
}
