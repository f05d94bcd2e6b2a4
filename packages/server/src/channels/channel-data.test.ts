import { afterEach, describe, expect, it } from 'vitest';
import { agent, api, countRows, login } from '../test-support/harness.js';
import { postUpdate, startTelegramServer, telegramText, until, waitingConversationWith } from '../test-support/channels.js';

// What must hold for channel conversations beyond one exchange: a restart loses nothing queued,
// the person's identity is sealed (and rotated with the keys), nothing a person wrote reaches the
// logs. Deletion and retention of channel conversations: conversations/data-protection.test.ts.

let running: { stop(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function setUp(env: Record<string, string> = {}, logs?: string[]) {
  const s = await startTelegramServer(env, logs);
  running = s;
  return s;
}
const conversationOf = waitingConversationWith;

describe('a reply queued while Telegram is down', () => {
  it('survives a restart of the server and is delivered once Telegram answers again', async () => {
    const { t, standIn, cookie, account } = await setUp();
    expect((await postUpdate(t, account.id, account.secret, telegramText(1001, 5550001, 'Hallo, ist jemand da? Ich brauche Hilfe.', 'de'))).status).toBe(200);
    const id = await conversationOf(t, cookie, 'Hallo, ist jemand da? Ich brauche Hilfe.');
    await api(t, cookie, 'POST', `/conversations/${id}/claim`);
    standIn.fail('sendMessage', { status: 500 }, 1000);
    const ws = await agent(t, cookie);
    ws.send({ type: 'send', conversationId: id, clientId: 'restart-reply-1', body: 'Ja, ich bin da.' });
    await ws.next('ack');
    await standIn.waitFor('sendMessage', 2);
    await ws.close();
    expect((await t.running.services.outbox.counts()).pending).toBe(1);

    await t.restart();
    standIn.recover();
    await until(async () => (await t.running.services.outbox.counts()).pending === 0);
    const detail = (await api(t, await login(t), 'GET', `/conversations/${id}`)).json;
    expect(detail.messages.at(-1)).toMatchObject({ body: 'Ja, ich bin da.', delivery: { status: 'sent', reason: null } });
    const delivered = standIn.of('sendMessage').filter((c) => c.params.text === 'Ja, ich bin da.');
    expect(delivered.length).toBeGreaterThanOrEqual(3);
  });
});

describe('a reply queued while its account is paused', () => {
  it('waits without using up its attempts, shows why, and goes out once the account is resumed', async () => {
    const { t, standIn, cookie, account } = await setUp({ DIRETURN_OUTBOX_MAX_ATTEMPTS: '3' });
    await postUpdate(t, account.id, account.secret, telegramText(1501, 5550015, 'Hallo, ich warte auf eine Antwort.', 'de'));
    const id = await conversationOf(t, cookie, 'Hallo, ich warte auf eine Antwort.');
    await api(t, cookie, 'POST', `/conversations/${id}/claim`);
    standIn.fail('sendMessage', { status: 500 }, 1000);
    const ws = await agent(t, cookie);
    ws.send({ type: 'send', conversationId: id, clientId: 'paused-wait-1', body: 'Gleich kommt die Antwort.' });
    const ack = await ws.next('ack');
    await api(t, cookie, 'POST', `/channels/${account.id}/pause`);
    standIn.recover();
    await ws.next('delivery', (f) => f.messageId === ack.message.id && /paused/.test(f.delivery.reason ?? ''));
    // Many looks at the row while paused (more than its 3 attempts): it stays pending.
    const { db } = t.running.services;
    const looks = new Set<number>();
    await until(async () => {
      const row = await db.selectFrom('outbox').selectAll().where('subject', '=', `conversation:${id}`).executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      looks.add(Number(row.updated_at));
      return looks.size >= 10;
    });
    expect(standIn.of('sendMessage').filter((c) => c.params.text === 'Gleich kommt die Antwort.').length).toBeLessThanOrEqual(1);
    await api(t, cookie, 'POST', `/channels/${account.id}/resume`);
    await ws.next('delivery', (f) => f.messageId === ack.message.id && f.delivery.status === 'sent');
    await ws.close();
  });
});

describe("the person's identity on the channel", () => {
  it('is sealed at rest and found by a keyed hash, not a plain one', async () => {
    const { t, cookie, account } = await setUp();
    await postUpdate(t, account.id, account.secret, telegramText(2001, 5550002, 'Guten Tag, ich habe eine Frage.', 'de'));
    const id = await conversationOf(t, cookie, 'Guten Tag, ich habe eine Frage.');
    const row = await t.running.services.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.contact).toMatch(/^enc1\./);
    expect(row.contact).not.toContain('5550002');
    expect(row.contact_key).not.toContain('5550002');
    expect(row.channel_account_id).toBe(account.id);
  });

  it('is sealed again by a key rotation, and the person still lands in their conversation before and after it', async () => {
    const { t, cookie, account } = await setUp();
    await postUpdate(t, account.id, account.secret, telegramText(2101, 5550012, 'Vor dem Schlüsselwechsel geschrieben.', 'de'));
    const id = await conversationOf(t, cookie, 'Vor dem Schlüsselwechsel geschrieben.');
    const { keyring, db } = t.running.services;
    const newKey = keyring.addKeyToFile();
    // A message between the new key and the re-encryption: found under the old lookup key.
    await postUpdate(t, account.id, account.secret, telegramText(2102, 5550012, 'Zwischendurch.', 'de'));
    const { reencryptAll } = await import('../security/rotate.js');
    expect((await reencryptAll(db, keyring)).failed).toBe(0);
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.contact!.split('.')[1]).toBe(newKey);
    const secrets = await db.selectFrom('channel_accounts').select('secrets').where('id', '=', account.id).executeTakeFirstOrThrow();
    expect(secrets.secrets.split('.')[1]).toBe(newKey);
    await postUpdate(t, account.id, account.secret, telegramText(2103, 5550012, 'Nach dem Schlüsselwechsel.', 'de'));
    await until(async () => (await api(t, cookie, 'GET', `/conversations/${id}`)).json.messages.length === 3);
    expect(await countRows(t, 'conversations')).toBe(1);
  });

});

describe('logs', () => {
  it('contain no message text, chat id or token from a channel, also when a webhook is refused', async () => {
    const logs: string[] = [];
    const { t, standIn, cookie, account } = await setUp({ DIRETURN_LOG_LEVEL: 'debug' }, logs);
    await postUpdate(t, account.id, 'forged-secret-77', telegramText(5000, 5550005, 'Geheim-Inhalt-Telegram-1', 'de'));
    await postUpdate(t, account.id, account.secret, telegramText(5001, 5550005, 'Geheim-Inhalt-Telegram-2', 'de'));
    const id = await conversationOf(t, cookie, 'Geheim-Inhalt-Telegram-2');
    await api(t, cookie, 'POST', `/conversations/${id}/claim`);
    standIn.fail('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const ws = await agent(t, cookie);
    ws.send({ type: 'send', conversationId: id, clientId: 'log-reply-1', body: 'Antwort-Geheim-Telegram-3' });
    await ws.next('delivery', (f) => f.delivery.status === 'failed');
    await ws.close();
    const all = logs.join('\n');
    expect(all).toContain('telegram webhook: wrong or missing secret token');
    for (const secret of ['Geheim-Inhalt-Telegram', 'Antwort-Geheim-Telegram', '5550005', 'forged-secret-77', account.secret, 'AAFakeToken']) expect(all).not.toContain(secret);
  });
});
