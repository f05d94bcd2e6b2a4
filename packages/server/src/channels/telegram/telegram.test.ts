import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, api, countRows, login, startTestServer, type AgentClient, type TestServer } from '../../test-support/harness.js';
import { TelegramStandIn } from '../../test-support/telegram-stand-in.js';
import { BOT_TOKEN, connectTelegram, FAST_OUTBOX, postUpdate, telegramFixture, telegramText, until } from '../../test-support/channels.js';
import { NOTICE_TEXTS } from '../notices.js';

// Telegram end to end on one server: a local stand-in of the Bot API records what DiReturn sends
// and answers as documented; updates are the documentation's examples (fixtures/).

let standIn: TelegramStandIn;
let t: TestServer;
let cookie: string;
let account: { id: string; secret: string; webhookUrl: string };
let console_: AgentClient;

beforeAll(async () => {
  standIn = await TelegramStandIn.start();
  t = await startTestServer({ env: { ...FAST_OUTBOX, DIRETURN_TELEGRAM_API_URL: standIn.url } });
  cookie = await login(t);
  account = await connectTelegram(t, cookie, standIn);
  console_ = await agent(t, cookie);
});
afterAll(async () => {
  await console_?.close();
  await t?.stop();
  await standIn?.close();
});

let nextUpdate = 700_000;
let nextChat = 90_000_000;
const inbound = () => ({ update: nextUpdate++, chat: nextChat++ });

/** Sends a text as a person on Telegram and waits until the console lists the conversation with it. */
async function personWrites(text: string, languageCode?: string, ids = inbound()): Promise<{ conversationId: string; chat: number; update: number }> {
  const res = await postUpdate(t, account.id, account.secret, telegramText(ids.update, ids.chat, text, languageCode));
  expect(res.status).toBe(200);
  const frame = await console_.next('conversation', (f) => f.conversation.lastMessage === text || f.conversation.firstMessage === text);
  return { conversationId: frame.conversation.id, ...ids };
}

async function takeAndReply(conversationId: string, body: string, claim = true): Promise<string> {
  if (claim) expect((await api(t, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
  const clientId = `reply-${Math.random().toString(36).slice(2, 10)}`;
  console_.send({ type: 'send', conversationId, clientId, body });
  const ack = await console_.next('ack', (f) => f.clientId === clientId);
  expect(ack.message.delivery).toMatchObject({ status: 'queued', reason: null });
  return ack.message.id;
}

const sendsTo = (chat: number) => standIn.of('sendMessage').filter((c) => String(c.params.chat_id) === String(chat));

describe('connecting a bot', () => {
  it('sets the webhook to the public URL with a secret token; the token is never in the URL or in any answer', async () => {
    const call = standIn.of('setWebhook')[0]!;
    expect(call.token).toBe(BOT_TOKEN);
    expect(call.params.url).toBe(`${t.url}/webhooks/telegram/${account.id}`);
    expect(account.secret).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
    expect(String(call.params.url)).not.toContain(account.secret);
    const listed = await api(t, cookie, 'GET', '/channels');
    const text = JSON.stringify(listed.json);
    expect(text).not.toContain(account.secret);
    expect(text).not.toContain(BOT_TOKEN.split(':')[1]);
    expect(listed.json.accounts[0]).toMatchObject({ kind: 'telegram', status: 'active', secretsSet: ['botToken', 'webhookSecret'], settings: { botUsername: 'direturn_test_bot' }, webhookUrl: account.webhookUrl });
  });
});

describe('the webhook refuses what it cannot trust and stores nothing', () => {
  it('answers 404 for an unknown account, 401 for a missing or forged secret token, 400 for a malformed update', async () => {
    const before = { messages: await countRows(t, 'messages'), conversations: await countRows(t, 'conversations') };
    const update = telegramText(1, 4242, 'Hallo, ich möchte zurück in meine Heimat.');
    expect((await postUpdate(t, '00000000-0000-4000-8000-000000000000', account.secret, update)).status).toBe(404);
    expect((await postUpdate(t, 'not-an-id', account.secret, update)).status).toBe(404);
    expect((await postUpdate(t, account.id, null, update)).status).toBe(401);
    expect((await postUpdate(t, account.id, `${account.secret.slice(0, -1)}x`, update)).status).toBe(401);
    expect((await postUpdate(t, account.id, '', update)).status).toBe(401);
    expect((await postUpdate(t, account.id, account.secret, '{"update_id":')).status).toBe(400);
    expect((await postUpdate(t, account.id, account.secret, { message: { text: 'no update id' } })).status).toBe(400);
    expect({ messages: await countRows(t, 'messages'), conversations: await countRows(t, 'conversations') }).toEqual(before);
    const inboundRows = await t.running.services.db.selectFrom('channel_inbound').select('provider_message_id').where('provider_message_id', '=', 'update:1').execute();
    expect(inboundRows).toEqual([]);
    // Health: the malformed update is the last error admins see.
    expect((await api(t, cookie, 'GET', `/channels/${account.id}`)).json.account.lastError).toMatch(/could not read/);
  });

  it('acknowledges updates DiReturn does not handle (edits, callback queries) without storing them', async () => {
    const before = await countRows(t, 'messages');
    for (const name of ['edited-message', 'callback-query']) {
      const update = { ...telegramFixture(name), update_id: nextUpdate++ };
      expect((await postUpdate(t, account.id, account.secret, update)).status).toBe(200);
    }
    expect(await countRows(t, 'messages')).toBe(before);
  });
});

describe('a person writes', () => {
  it('/start greets in the language Telegram names and opens no conversation', async () => {
    const ids = inbound();
    const conversations = await countRows(t, 'conversations');
    const start = telegramFixture('message-text'); // the documentation's "/start"
    const m = start.message as { chat: object; from: object };
    const update = { ...start, update_id: ids.update, message: { ...m, chat: { ...m.chat, id: ids.chat }, from: { ...m.from, id: ids.chat, language_code: 'uk' } } };
    expect((await postUpdate(t, account.id, account.secret, update)).status).toBe(200);
    await until(() => sendsTo(ids.chat).length === 1);
    expect(sendsTo(ids.chat)[0]!.params.text).toBe(NOTICE_TEXTS.uk.greeting);
    // Telegram repeats it: greeted once.
    expect((await postUpdate(t, account.id, account.secret, update)).status).toBe(200);
    expect(await countRows(t, 'conversations')).toBe(conversations);
    expect(sendsTo(ids.chat)).toHaveLength(1);
  });

  it('lands in the console live, in the language Telegram names; a replayed update is stored once; writing again lands in the same conversation', async () => {
    const first = await personWrites('Здравствуйте, я хочу вернуться домой. Что мне нужно сделать?', 'ru');
    const summary = (await api(t, cookie, 'GET', `/conversations/${first.conversationId}`)).json;
    expect(summary.conversation).toMatchObject({ channel: 'telegram', channelAccountName: 'Telegram-Bot', language: 'ru', status: 'waiting', siteName: 'Demo partner page' });
    // The same update again (Telegram did not see our answer): nothing new.
    const messages = await countRows(t, 'messages');
    expect((await postUpdate(t, account.id, account.secret, telegramText(first.update, first.chat, 'Здравствуйте, я хочу вернуться домой. Что мне нужно сделать?', 'ru'))).status).toBe(200);
    expect(await countRows(t, 'messages')).toBe(messages);
    // A new message of the same person: their open conversation.
    const again = await personWrites('И ещё вопрос про документы.', 'ru', { update: nextUpdate++, chat: first.chat });
    expect(again.conversationId).toBe(first.conversationId);
    const bodies = (await api(t, cookie, 'GET', `/conversations/${first.conversationId}`)).json.messages.map((x: { body: string }) => x.body);
    expect(bodies).toEqual(['Здравствуйте, я хочу вернуться домой. Что мне нужно сделать?', 'И ещё вопрос про документы.']);
  });

  it('detects the language from the text when Telegram names none; the counsellor corrects it', async () => {
    const { conversationId } = await personWrites('مرحبا، أريد العودة إلى بلدي. ماذا علي أن أفعل؟');
    expect((await api(t, cookie, 'GET', `/conversations/${conversationId}`)).json.conversation.language).toBe('ar');
    const corrected = await api(t, cookie, 'PUT', `/conversations/${conversationId}/language`, { language: 'fa' });
    expect(corrected.status).toBe(200);
    expect(corrected.json.conversation.language).toBe('fa');
    expect((await api(t, cookie, 'PUT', `/conversations/${conversationId}/language`, { language: 'xx' })).status).toBe(400);
  });

  it('keeps only the type and size of an attachment and tells the person in their language', async () => {
    const ids = inbound();
    const doc = telegramFixture('message-document');
    const m = doc.message as { chat: object; from: object };
    const update = { ...doc, update_id: ids.update, message: { ...m, chat: { ...m.chat, id: ids.chat }, from: { ...m.from, id: ids.chat, language_code: 'tr' }, caption: 'Pasaportumun fotokopisi' } };
    expect((await postUpdate(t, account.id, account.secret, update)).status).toBe(200);
    const frame = await console_.next('conversation', (f) => f.conversation.firstMessage === 'Pasaportumun fotokopisi');
    const detail = (await api(t, cookie, 'GET', `/conversations/${frame.conversation.id}`)).json;
    expect(detail.messages[0]).toMatchObject({ author: 'visitor', body: 'Pasaportumun fotokopisi', attachments: [{ type: 'document', size: 536392 }] });
    expect(JSON.stringify(detail)).not.toContain('Testfile.pdf');
    await until(() => sendsTo(ids.chat).length === 1);
    expect(sendsTo(ids.chat)[0]!.params.text).toBe(NOTICE_TEXTS.tr.attachment);
  });
});

describe('a counsellor answers', () => {
  it('stores the reply, sends it through the Bot API and shows it sent', async () => {
    const { conversationId, chat } = await personWrites('Hello, I would like to go back to my country. What do I need to do?', 'en');
    const messageId = await takeAndReply(conversationId, 'Hello! I am here to help you.');
    const sent = await console_.next('delivery', (f) => f.messageId === messageId && f.delivery.status === 'sent');
    expect(sent.conversationId).toBe(conversationId);
    expect(sendsTo(chat).map((c) => c.params.text)).toEqual(['Hello! I am here to help you.']);
    const detail = (await api(t, cookie, 'GET', `/conversations/${conversationId}`)).json;
    expect(detail.messages.find((x: { id: string }) => x.id === messageId).delivery).toMatchObject({ status: 'sent', reason: null });
    expect(await t.running.services.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('waits as long as a 429 asks and retries a 500: the reply arrives once, nothing is lost', async () => {
    const { conversationId, chat } = await personWrites('Hallo, ich habe eine Frage zur Rückkehr nach Syrien.', 'de');
    standIn.fail('sendMessage', { status: 429, retryAfter: 1 });
    standIn.fail('sendMessage', { status: 500 }, 2);
    const messageId = await takeAndReply(conversationId, 'Gern, was möchten Sie wissen?');
    const queued = await console_.next('delivery', (f) => f.messageId === messageId && f.delivery.status === 'queued');
    expect(queued.delivery.reason).toMatch(/Telegram asks to wait 1 s/);
    await console_.next('delivery', (f) => f.messageId === messageId && f.delivery.status === 'sent', 15_000);
    const calls = sendsTo(chat);
    expect(calls).toHaveLength(4);
    // The try after the 429 came no earlier than Telegram asked.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(new Set(calls.map((c) => c.params.text))).toEqual(new Set(['Gern, was möchten Sie wissen?']));
  });

  it('shows a reply the person can no longer receive as failed, with the reason in words', async () => {
    const { conversationId } = await personWrites('Bonjour, je voudrais rentrer dans mon pays.', 'fr');
    standIn.fail('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const messageId = await takeAndReply(conversationId, 'Bonjour, comment puis-je vous aider ?');
    const failed = await console_.next('delivery', (f) => f.messageId === messageId && f.delivery.status === 'failed');
    expect(failed.delivery.reason).toBe('The person has blocked the bot or closed the chat (Telegram: Forbidden: bot was blocked by the user).');
    expect((await api(t, cookie, 'GET', `/channels/${account.id}`)).json.account.lastError).toMatch(/blocked the bot/);
  });

  it('applies a status that arrived before the answer that named its message', async () => {
    const { conversationId } = await personWrites('Merhaba, Türkiye’ye dönmek istiyorum.', 'tr');
    // The stand-in numbers its messages: the id of the next one is known in advance.
    const nextId = String(standIn.nextMessageId);
    await t.running.services.channels.status({ accountId: account.id, providerMessageId: nextId, status: 'read', at: Date.now() });
    await t.running.services.channels.status({ accountId: account.id, providerMessageId: nextId, status: 'delivered', at: Date.now() });
    const messageId = await takeAndReply(conversationId, 'Merhaba, size nasıl yardımcı olabilirim?');
    await console_.next('delivery', (f) => f.messageId === messageId && f.delivery.status === 'read');
    expect(await t.running.services.db.selectFrom('channel_early_statuses').selectAll().execute()).toEqual([]);
    // A late, lower report does not move it back.
    await t.running.services.channels.status({ accountId: account.id, providerMessageId: nextId, status: 'delivered', at: Date.now() });
    const detail = (await api(t, cookie, 'GET', `/conversations/${conversationId}`)).json;
    expect(detail.messages.find((x: { id: string }) => x.id === messageId).delivery.status).toBe('read');
  });

  it('refuses a reply while the account is paused, and the webhook asks Telegram to come back later', async () => {
    const { conversationId } = await personWrites('Përshëndetje, dua të kthehem në shtëpi.', 'sq');
    expect((await api(t, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
    expect((await api(t, cookie, 'POST', `/channels/${account.id}/pause`)).json.account.status).toBe('paused');
    try {
      console_.send({ type: 'send', conversationId, clientId: 'paused-reply-1', body: 'Përshëndetje!' });
      expect((await console_.next('error', (f) => f.ref === 'paused-reply-1')).code).toBe('channel_unavailable');
      const res = await postUpdate(t, account.id, account.secret, telegramText(nextUpdate++, 123, 'Përshëndetje përsëri'));
      expect(res.status).toBe(503);
    } finally {
      expect((await api(t, cookie, 'POST', `/channels/${account.id}/resume`)).json.account.status).toBe('active');
    }
  });
});
