import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, api, countRows, login, startTestServer, visitor, type AgentClient, type TestServer } from '../../test-support/harness.js';
import { FAST_OUTBOX, until } from '../../test-support/channels.js';
import { connectMeta, graphError, MetaGraphStandIn, messagingText, messengerDelivery, postWebhook, whatsappStatus, whatsappText } from '../../test-support/meta-stand-in.js';
import { payload } from '../../test-support/meta-fixtures.js';
import { NOTICE_TEXTS } from '../notices.js';
import { signPayload } from './verify.js';

// WhatsApp, Messenger and Instagram end to end on one server (both databases): a local stand-in of
// the Graph API records what DiReturn sends and answers as Meta documents it; webhooks are the
// documentation's payloads (fixtures/), signed with the app secret. Windows are tested through the
// time Meta stamps on a person's message (hours in the past), never by waiting.

const APP_SECRET = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const WA_TOKEN = 'EAAGsystemUserTokenForWhatsApp0123456789';
const PAGE_TOKEN = 'EAAGpageAccessTokenForThePage0123456789';
const PHONE_NUMBER_ID = '106540352242922';
const PAGE_ID = '1234567890123456';
const IG_ID = '17841405822304914';
const HOUR = 3_600_000;

let standIn: MetaGraphStandIn;
let t: TestServer;
let cookie: string;
let console_: AgentClient;
let wa: Awaited<ReturnType<typeof connectMeta>>;
let fb: Awaited<ReturnType<typeof connectMeta>>;
let ig: Awaited<ReturnType<typeof connectMeta>>;

beforeAll(async () => {
  standIn = await MetaGraphStandIn.start();
  standIn.validTokens = new Set([WA_TOKEN, PAGE_TOKEN]);
  t = await startTestServer({ env: { ...FAST_OUTBOX, DIRETURN_META_GRAPH_URL: standIn.url } });
  cookie = await login(t);
  wa = await connectMeta(t, cookie, 'whatsapp', { name: 'WhatsApp Beratung', settings: { phoneNumberId: PHONE_NUMBER_ID, templates: 'reply_waiting:de, reply_waiting:en_US' }, appSecret: APP_SECRET, accessToken: WA_TOKEN });
  fb = await connectMeta(t, cookie, 'messenger', { name: 'Facebook-Seite', settings: { pageId: PAGE_ID }, appSecret: APP_SECRET, accessToken: PAGE_TOKEN });
  ig = await connectMeta(t, cookie, 'instagram', { name: 'Instagram', settings: { instagramAccountId: IG_ID, pageId: PAGE_ID }, appSecret: APP_SECRET, accessToken: PAGE_TOKEN });
  console_ = await agent(t, cookie);
});
afterAll(async () => {
  await console_?.close();
  await t?.stop();
  await standIn?.close();
});

const hook = (kind: string, id: string) => `${t.url}/webhooks/${kind}/${id}`;
let n = 0;
const unique = () => `${Date.now()}${n++}`;

/** A person writes (Meta stamps `at`); resolves once the console lists the conversation with that text. */
async function personWrites(kind: 'whatsapp' | 'messenger' | 'instagram', o: { from: string; text: string; at?: number; bsuid?: boolean; id?: string }): Promise<string> {
  const at = o.at ?? Date.now();
  const id = o.id ?? (kind === 'whatsapp' ? `wamid.${unique()}` : `m_${unique()}`);
  const body =
    kind === 'whatsapp'
      ? whatsappText({ phoneNumberId: PHONE_NUMBER_ID, from: o.from, id, text: o.text, at, bsuid: o.bsuid ?? false })
      : messagingText(kind === 'messenger' ? 'page' : 'instagram', { targetId: kind === 'messenger' ? PAGE_ID : IG_ID, sender: o.from, mid: id, text: o.text, at });
  const account = { whatsapp: wa, messenger: fb, instagram: ig }[kind];
  const res = await postWebhook(hook(kind, account.id), APP_SECRET, body);
  expect(res.status).toBe(200);
  const frame = await console_.next('conversation', (f) => f.conversation.lastMessage === o.text || f.conversation.firstMessage === o.text);
  return frame.conversation.id;
}

async function takeAndReply(conversationId: string, body: string): Promise<string> {
  const claim = await api(t, cookie, 'POST', `/conversations/${conversationId}/claim`);
  expect([200, 409]).toContain(claim.status);
  const clientId = `reply-${unique()}`;
  console_.send({ type: 'send', conversationId, clientId, body });
  const ack = await console_.next('ack', (f) => f.clientId === clientId);
  return ack.message.id;
}

const deliveryOf = (messageId: string, status: string, timeoutMs = 10_000) => console_.next('delivery', (f) => f.messageId === messageId && f.delivery.status === status, timeoutMs);
const sendsTo = (recipient: string) => standIn.sends.filter((s) => s.body.to === recipient || s.body.recipient === recipient || s.body.recipient?.id === recipient);

describe('connecting Meta accounts', () => {
  it('checks the token against the number and pages, subscribes the pages, makes a verify token; secrets never come back', async () => {
    expect(standIn.lookups.map((l) => [l.nodeId, l.token])).toEqual([
      [PHONE_NUMBER_ID, WA_TOKEN],
      [PAGE_ID, PAGE_TOKEN],
      [IG_ID, PAGE_TOKEN],
    ]);
    expect(standIn.subscriptions.map((s) => [s.pageId, s.fields])).toEqual([
      [PAGE_ID, 'messages,message_deliveries,messaging_postbacks'],
      [PAGE_ID, 'messages'],
    ]);
    expect(wa.settings).toMatchObject({ phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+1 555-078-3881', verifiedName: 'Rückkehrberatung Test' });
    expect(wa.verifyToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(wa.webhookUrl).toBe(`${t.url}/webhooks/whatsapp/${wa.id}`);
    const listed = JSON.stringify((await api(t, cookie, 'GET', '/channels')).json);
    for (const secret of [APP_SECRET, WA_TOKEN, PAGE_TOKEN]) expect(listed).not.toContain(secret);
  });

  it('refuses to connect with a token Meta does not take, and says so', async () => {
    const sites = (await api(t, cookie, 'GET', '/sites')).json.sites as Array<{ id: string; key: string }>;
    const created = await api(t, cookie, 'POST', '/channels', { kind: 'messenger', name: 'Falsch', siteId: sites.find((s) => s.key === 'demo')!.id, settings: { pageId: '99999' }, secrets: { appSecret: APP_SECRET, accessToken: 'EAAGwrongTokenWrongToken000' } });
    expect(created.status).toBe(201);
    const connected = await api(t, cookie, 'POST', `/channels/${created.json.account.id}/connect`);
    expect(connected.status).toBe(400);
    expect(connected.json.error.message).toMatch(/access token is invalid or expired/);
    expect(JSON.stringify(connected.json)).not.toContain('wrongToken');
    expect((await api(t, cookie, 'DELETE', `/channels/${created.json.account.id}`)).status).toBe(204);
  });

  it('answers Meta\'s subscription check with the challenge for the verify token only', async () => {
    const check = (kind: string, id: string, token: string) => fetch(`${hook(kind, id)}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
    const ok = await check('whatsapp', wa.id, wa.verifyToken);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await check('whatsapp', wa.id, fb.verifyToken)).status).toBe(403);
    expect((await check('messenger', fb.id, fb.verifyToken)).status).toBe(200);
    expect((await check('instagram', ig.id, ig.verifyToken)).status).toBe(200);
    expect((await check('messenger', wa.id, wa.verifyToken)).status).toBe(404);
  });
});

describe('the webhook refuses what Meta did not sign and stores nothing', () => {
  it('missing (401) and forged (403) signatures, another account\'s URL, a malformed payload', async () => {
    const before = { messages: await countRows(t, 'messages'), conversations: await countRows(t, 'conversations') };
    const body = whatsappText({ phoneNumberId: PHONE_NUMBER_ID, from: '4915100000001', id: `wamid.${unique()}`, text: 'Ich möchte zurück.', at: Date.now() });
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, body, { signature: null })).status).toBe(401);
    expect((await postWebhook(hook('whatsapp', wa.id), 'not-the-app-secret', body)).status).toBe(403);
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, body, { signature: signPayload(APP_SECRET, `${JSON.stringify(body)} `) })).status).toBe(403);
    expect((await postWebhook(hook('whatsapp', '00000000-0000-4000-8000-000000000000'), APP_SECRET, body)).status).toBe(404);
    expect((await postWebhook(hook('messenger', fb.id), APP_SECRET, body)).status).toBe(400);
    const other = whatsappText({ phoneNumberId: '999999999999999', from: '4915100000001', id: `wamid.${unique()}`, text: 'An eine andere Nummer.', at: Date.now() });
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, other)).status).toBe(200);
    expect({ messages: await countRows(t, 'messages'), conversations: await countRows(t, 'conversations') }).toEqual(before);
    expect(await t.running.services.db.selectFrom('channel_inbound').select('account_id').where('account_id', '=', wa.id).execute()).toEqual([]);
    // Health: admins see why (a forged signature looks like a wrong app secret).
    expect((await api(t, cookie, 'GET', `/channels/${wa.id}`)).json.account.lastError).toMatch(/wrong signature/);
    expect((await api(t, cookie, 'GET', `/channels/${fb.id}`)).json.account.lastError).toMatch(/could not read/);
  });
});

describe('WhatsApp', () => {
  it('a message lands in the console; Meta sending it again stores it once', async () => {
    const id = `wamid.${unique()}`;
    const conversationId = await personWrites('whatsapp', { from: '4915100000002', text: 'Hallo, ich möchte in die Türkei zurückkehren.', id });
    const detail = (await api(t, cookie, 'GET', `/conversations/${conversationId}`)).json;
    expect(detail.conversation).toMatchObject({ channel: 'whatsapp', channelAccountName: 'WhatsApp Beratung' });
    const messages = await countRows(t, 'messages');
    const again = whatsappText({ phoneNumberId: PHONE_NUMBER_ID, from: '4915100000002', id, text: 'Hallo, ich möchte in die Türkei zurückkehren.', at: Date.now() });
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, again)).status).toBe(200);
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, again)).status).toBe(200);
    expect(await countRows(t, 'messages')).toBe(messages);
    // The contact is stored sealed, never as the phone number.
    const row = await t.running.services.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('4915100000002');
  });

  it('an image keeps its type only; the caption is the text', async () => {
    const body = payload('whatsapp-image');
    const value = body.entry[0].changes[0].value;
    value.contacts[0].wa_id = value.messages[0].from = '4915100000003';
    value.messages[0].id = `wamid.${unique()}`;
    value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, body)).status).toBe(200);
    const frame = await console_.next('conversation', (f) => f.conversation.firstMessage === 'Black jacket');
    const detail = (await api(t, cookie, 'GET', `/conversations/${frame.conversation.id}`)).json;
    expect(detail.messages[0]).toMatchObject({ body: 'Black jacket', attachments: [{ type: 'image' }] });
  });

  it('a reply goes out to the number with the token; Meta\'s statuses move it to delivered and read', async () => {
    const conversationId = await personWrites('whatsapp', { from: '4915100000004', text: 'Guten Tag, welche Papiere brauche ich?' });
    const messageId = await takeAndReply(conversationId, 'Guten Tag, ich helfe Ihnen gern.');
    await deliveryOf(messageId, 'sent');
    const [sent] = standIn.accepted.filter((s) => s.body.to === '4915100000004');
    expect(sent).toMatchObject({ nodeId: PHONE_NUMBER_ID, token: WA_TOKEN, body: { type: 'text', text: { body: 'Guten Tag, ich helfe Ihnen gern.' } } });
    for (const status of ['delivered', 'read'] as const) {
      expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, whatsappStatus({ phoneNumberId: PHONE_NUMBER_ID, id: sent!.messageId, status, at: Date.now() }))).status).toBe(200);
      await deliveryOf(messageId, status);
    }
  });

  it('a status that arrives before the send\'s answer applies once the message is known', async () => {
    const conversationId = await personWrites('whatsapp', { from: '4915100000005', text: 'Hallo, noch eine Frage.' });
    const wamid = `wamid.${unique()}`;
    standIn.nextMessageIds.push(wamid);
    expect((await postWebhook(hook('whatsapp', wa.id), APP_SECRET, whatsappStatus({ phoneNumberId: PHONE_NUMBER_ID, id: wamid, status: 'read', at: Date.now() }))).status).toBe(200);
    const messageId = await takeAndReply(conversationId, 'Ja, bitte.');
    await deliveryOf(messageId, 'read');
    expect(await t.running.services.db.selectFrom('channel_early_statuses').selectAll().execute()).toEqual([]);
  });

  it('a person known only by their business-scoped user id is answered through `recipient`', async () => {
    const bsuid = `DE.${unique()}`;
    const conversationId = await personWrites('whatsapp', { from: bsuid, text: 'Hallo, ich nutze einen Benutzernamen.', bsuid: true });
    const messageId = await takeAndReply(conversationId, 'Willkommen!');
    await deliveryOf(messageId, 'sent');
    expect(sendsTo(bsuid)[0]!.body).toMatchObject({ recipient: bsuid, type: 'text' });
    expect(sendsTo(bsuid)[0]!.body.to).toBeUndefined();
  });

  it('after 24 hours: the console is told the window closed; free text fails without reaching Meta; a configured template goes out', async () => {
    const lastWrote = Date.now() - 25 * HOUR;
    const conversationId = await personWrites('whatsapp', { from: '4915100000006', text: 'Ich habe gestern geschrieben.', at: lastWrote });
    const window = (await api(t, cookie, 'GET', `/conversations/${conversationId}/reply-window`)).json.window;
    expect(window).toEqual({
      kind: 'whatsapp',
      open: false,
      rule: 'whatsapp-24h',
      closesAt: Math.floor(lastWrote / 1000) * 1000 + 24 * HOUR,
      templates: [
        { name: 'reply_waiting', language: 'de' },
        { name: 'reply_waiting', language: 'en_US' },
      ],
    });
    const messageId = await takeAndReply(conversationId, 'Entschuldigung für die späte Antwort.');
    const failed = await deliveryOf(messageId, 'failed');
    expect(failed.delivery.reason).toMatch(/24 hours.*template/);
    expect(sendsTo('4915100000006')).toEqual([]);

    const refused = await api(t, cookie, 'POST', `/conversations/${conversationId}/template`, { clientId: `tpl-${unique()}`, name: 'reply_waiting', language: 'fr' });
    expect(refused.status).toBe(400);
    const sent = await api(t, cookie, 'POST', `/conversations/${conversationId}/template`, { clientId: `tpl-${unique()}`, name: 'reply_waiting', language: 'de' });
    expect(sent.status).toBe(201);
    expect(sent.json.message).toMatchObject({ author: 'agent', body: '[reply_waiting · de]', delivery: { status: 'queued' } });
    await deliveryOf(sent.json.message.id, 'sent');
    expect(sendsTo('4915100000006').map((s) => s.body)).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915100000006', type: 'template', template: { name: 'reply_waiting', language: { code: 'de' } } },
    ]);
  });

  it('Meta\'s 429 is waited out as asked and 500s are retried: the reply arrives, once', async () => {
    const conversationId = await personWrites('whatsapp', { from: '4915100000007', text: 'Hallo, ist jemand da?' });
    standIn.failNext(1, { status: 429, headers: { 'retry-after': '1' }, body: graphError('(#130429) Rate limit hit', 130429) });
    standIn.failNext(2, { status: 500, body: graphError('An unknown error has occurred.', 1) });
    const before = standIn.sends.length;
    const failedBefore = (await t.running.services.outbox.counts()).failed;
    const messageId = await takeAndReply(conversationId, 'Ja, ich bin da.');
    const queued = await deliveryOf(messageId, 'queued');
    expect(queued.delivery.reason).toMatch(/Meta asks to send more slowly/);
    await deliveryOf(messageId, 'sent', 15_000);
    const tries = standIn.sends.slice(before);
    expect(tries).toHaveLength(4);
    expect(standIn.accepted.filter((s) => s.body.to === '4915100000007')).toHaveLength(1);
    expect(new Set(tries.map((s) => s.body.text.body))).toEqual(new Set(['Ja, ich bin da.']));
    // The outbox row goes once the handler returned (just after the 'sent' frame).
    await until(async () => (await t.running.services.outbox.counts()).pending === 0);
    expect((await t.running.services.outbox.counts()).failed).toBe(failedBefore);
  });

  it('a paused account: the webhook asks Meta to come back later and stores nothing', async () => {
    expect((await api(t, cookie, 'POST', `/channels/${wa.id}/pause`)).json.account.status).toBe('paused');
    try {
      const messages = await countRows(t, 'messages');
      const res = await postWebhook(hook('whatsapp', wa.id), APP_SECRET, whatsappText({ phoneNumberId: PHONE_NUMBER_ID, from: '4915100000008', id: `wamid.${unique()}`, text: 'Pause?', at: Date.now() }));
      expect(res.status).toBe(503);
      expect(await countRows(t, 'messages')).toBe(messages);
    } finally {
      expect((await api(t, cookie, 'POST', `/channels/${wa.id}/resume`)).json.account.status).toBe('active');
    }
  });
});

describe('Messenger', () => {
  it('within 24 hours a RESPONSE through the page; a delivery names the message delivered', async () => {
    const psid = `6${unique()}`;
    const conversationId = await personWrites('messenger', { from: psid, text: 'Hello, can you help me go home?' });
    const messageId = await takeAndReply(conversationId, 'Yes, of course.');
    await deliveryOf(messageId, 'sent');
    const [sent] = standIn.accepted.filter((s) => s.body.recipient?.id === psid);
    expect(sent).toMatchObject({ nodeId: PAGE_ID, token: PAGE_TOKEN, body: { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Yes, of course.' } } });
    expect((await postWebhook(hook('messenger', fb.id), APP_SECRET, messengerDelivery({ pageId: PAGE_ID, sender: psid, mids: [sent!.messageId], at: Date.now() }))).status).toBe(200);
    await deliveryOf(messageId, 'delivered');
  });

  it('"Get started" greets the person in the site\'s language, once, and opens no conversation', async () => {
    const psid = `6${unique()}`;
    const start = payload('messenger-postback');
    start.entry[0].messaging[0].sender.id = psid;
    start.entry[0].messaging[0].postback.mid = `m_${unique()}`;
    start.entry[0].messaging[0].timestamp = Date.now();
    const conversations = await countRows(t, 'conversations');
    expect((await postWebhook(hook('messenger', fb.id), APP_SECRET, start)).status).toBe(200);
    expect((await postWebhook(hook('messenger', fb.id), APP_SECRET, start)).status).toBe(200);
    await until(() => sendsTo(psid).length === 1);
    expect(sendsTo(psid)[0]!.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: NOTICE_TEXTS.de.greeting } });
    expect(await countRows(t, 'conversations')).toBe(conversations);
  });

  it('three days later with the HUMAN_AGENT tag; eight days later not at all, and the console knows', async () => {
    const late = `6${unique()}`;
    const lateId = await personWrites('messenger', { from: late, text: 'Are you still there?', at: Date.now() - 72 * HOUR });
    expect((await api(t, cookie, 'GET', `/conversations/${lateId}/reply-window`)).json.window).toMatchObject({ kind: 'messenger', open: true, rule: 'meta-7d-human-agent', templates: [] });
    const reply = await takeAndReply(lateId, 'Sorry for the wait.');
    await deliveryOf(reply, 'sent');
    expect(sendsTo(late)[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    const gone = `6${unique()}`;
    const goneId = await personWrites('messenger', { from: gone, text: 'Hello?', at: Date.now() - 8 * 24 * HOUR });
    expect((await api(t, cookie, 'GET', `/conversations/${goneId}/reply-window`)).json.window).toMatchObject({ open: false, rule: 'meta-7d-human-agent', templates: [] });
    const failed = await deliveryOf(await takeAndReply(goneId, 'Hello!'), 'failed');
    expect(failed.delivery.reason).toMatch(/7 days/);
    expect(sendsTo(gone)).toEqual([]);
    expect((await api(t, cookie, 'POST', `/conversations/${goneId}/template`, { clientId: `tpl-${unique()}`, name: 'reply_waiting', language: 'de' })).status).toBe(400);
  });
});

describe('Instagram', () => {
  it('a message lands, the reply goes through the linked page, echoes are not stored, seen means read', async () => {
    const igsid = `1${unique()}`;
    const conversationId = await personWrites('instagram', { from: igsid, text: 'Merhaba, yardım edebilir misiniz?' });
    const messageId = await takeAndReply(conversationId, 'Merhaba, tabii.');
    await deliveryOf(messageId, 'sent');
    const [sent] = standIn.accepted.filter((s) => s.body.recipient?.id === igsid);
    expect(sent).toMatchObject({ nodeId: PAGE_ID, body: { messaging_type: 'RESPONSE' } });

    const messages = await countRows(t, 'messages');
    const echo = payload('instagram-echo');
    echo.entry[0].messaging[0].message.mid = sent!.messageId;
    expect((await postWebhook(hook('instagram', ig.id), APP_SECRET, echo)).status).toBe(200);
    expect(await countRows(t, 'messages')).toBe(messages);

    const seen = payload('instagram-seen');
    seen.entry[0].messaging[0].sender.id = igsid;
    seen.entry[0].messaging[0].read.mid = sent!.messageId;
    expect((await postWebhook(hook('instagram', ig.id), APP_SECRET, seen)).status).toBe(200);
    await deliveryOf(messageId, 'read');
  });
});

describe('reply windows for other conversations', () => {
  it('none for a widget conversation; not found for a conversation that does not exist', async () => {
    const { client } = await visitor(t);
    client.send({ type: 'send', clientId: `widget-${unique()}`, body: 'Hallo aus dem Chat' });
    const ack = await client.next('ack');
    await client.close();
    expect((await api(t, cookie, 'GET', `/conversations/${ack.message.conversationId}/reply-window`)).json).toEqual({ window: null });
    expect((await api(t, cookie, 'GET', '/conversations/00000000-0000-4000-8000-000000000000/reply-window')).status).toBe(404);
  });
});
