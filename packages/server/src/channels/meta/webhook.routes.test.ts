// The webhook edge alone, with an in-memory inbox: what reaches the inbox and what Meta is answered.
// (The same flows against a real server on both databases: meta.integration.test.ts.)
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../logger.js';
import type { ChannelAccount, ChannelContext, DeliveryStatusEvent, InboundMessage } from '../channel.js';
import { payload } from '../../test-support/meta-fixtures.js';
import { signPayload } from './verify.js';
import { metaWebhookRoutes } from './webhook.routes.js';

const APP_SECRET = 'app-secret-for-tests';

const accounts: ChannelAccount[] = [
  { id: '00000000-0000-4000-8000-0000000000a1', kind: 'whatsapp', name: 'WA', siteId: 's', status: 'active', settings: { phoneNumberId: '106540352242922', verifyToken: 'verify-me' }, secrets: { appSecret: APP_SECRET, accessToken: 't', webhookSecret: 'w' } },
  { id: '00000000-0000-4000-8000-0000000000b1', kind: 'messenger', name: 'FB', siteId: 's', status: 'active', settings: { pageId: '1234567890123456', verifyToken: 'verify-fb' }, secrets: { appSecret: APP_SECRET, accessToken: 't', webhookSecret: 'w' } },
  { id: '00000000-0000-4000-8000-0000000000c1', kind: 'instagram', name: 'IG', siteId: 's', status: 'active', settings: { pageId: '1', instagramAccountId: '17841405822304914', verifyToken: 'verify-ig' }, secrets: { appSecret: APP_SECRET, accessToken: 't', webhookSecret: 'w' } },
  { id: '00000000-0000-4000-8000-0000000000a2', kind: 'whatsapp', name: 'WA', siteId: 's', status: 'paused', settings: { phoneNumberId: '106540352242922' }, secrets: { appSecret: APP_SECRET, accessToken: 't', webhookSecret: 'v' } },
];

function setup(opts: { failing?: boolean } = {}) {
  const received: InboundMessage[] = [];
  const statuses: DeliveryStatusEvent[] = [];
  const errors: string[] = [];
  let events = 0;
  const ctx: ChannelContext = {
    inbox: {
      async receive(m) {
        if (opts.failing) throw new Error('database is down');
        received.push(m);
        return { conversationId: 'c', messageId: 'm', duplicate: false };
      },
      async greet() {
        return { duplicate: false };
      },
      async status(s) {
        statuses.push(s);
      },
      async recordEvent() {
        events++;
      },
      async recordError(_id, e) {
        errors.push(e);
      },
    },
    accounts: { find: async (id) => accounts.find((a) => a.id === id), listActive: async () => [] },
    logger: createLogger('silent'),
    config: loadConfig({ DIRETURN_LOG_LEVEL: 'silent' }),
    // The webhook edge touches no table, outbox or key of its own (the e-mail module does).
    db: undefined as never,
    outbox: undefined as never,
    keyring: undefined as never,
  };
  const app = metaWebhookRoutes(ctx);
  const post = (path: string, body: unknown, signature: string | null = signPayload(APP_SECRET, typeof body === 'string' ? body : JSON.stringify(body))) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { app, post, received, statuses, errors, events: () => events };
}

describe('Meta webhooks: the handshake', () => {
  it('answers the challenge as the body for the account\'s verify token, 403 otherwise, 404 for no such account', async () => {
    const { app } = setup();
    const ok = await app.request('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await app.request('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1?hub.mode=subscribe&hub.verify_token=verify-fb&hub.challenge=1')).status).toBe(403);
    expect((await app.request('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1?hub.mode=subscribe&hub.challenge=1')).status).toBe(403);
    // Another kind's URL for the same account is not its URL.
    expect((await app.request('/webhooks/messenger/00000000-0000-4000-8000-0000000000a1?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1')).status).toBe(404);
    expect((await app.request('/webhooks/whatsapp/nope?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1')).status).toBe(404);
    const fb = await app.request('/webhooks/messenger/00000000-0000-4000-8000-0000000000b1?hub.mode=subscribe&hub.verify_token=verify-fb&hub.challenge=42');
    expect([fb.status, await fb.text()]).toEqual([200, '42']);
  });
});

describe('Meta webhooks: events', () => {
  it('stores a signed message and a status, records the event', async () => {
    const t = setup();
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', payload('whatsapp-text'))).status).toBe(200);
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', payload('whatsapp-status-delivered'))).status).toBe(200);
    expect(t.received).toMatchObject([{ accountId: '00000000-0000-4000-8000-0000000000a1', contact: '16505551234', text: 'Does it come in another color?' }]);
    expect(t.statuses).toMatchObject([{ accountId: '00000000-0000-4000-8000-0000000000a1', status: 'delivered' }]);
    expect(t.events()).toBe(2);
  });

  it('checks the signature over the raw bytes (Meta\'s escaping kept)', async () => {
    const t = setup();
    const raw = JSON.stringify(payload('messenger-text')).replace('hello, world!', 'Gr\\u00fc\\u00dfe \\/ hallo');
    expect((await t.post('/webhooks/messenger/00000000-0000-4000-8000-0000000000b1', raw)).status).toBe(200);
    expect(t.received[0]!.text).toBe('Grüße / hallo');
  });

  it('refuses a missing (401) or forged (403) signature and stores nothing', async () => {
    const t = setup();
    const body = payload('whatsapp-text');
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', body, null)).status).toBe(401);
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', body, signPayload('another-secret', JSON.stringify(body)))).status).toBe(403);
    const signedOther = signPayload(APP_SECRET, JSON.stringify(payload('whatsapp-status-read')));
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', body, signedOther)).status).toBe(403);
    expect(t.received).toEqual([]);
    expect(t.events()).toBe(0);
    expect(t.errors).toEqual([expect.stringMatching(/wrong signature/), expect.stringMatching(/wrong signature/)]);
  });

  it('404 for an account that does not exist or is of another kind; nothing stored', async () => {
    const t = setup();
    expect((await t.post('/webhooks/whatsapp/nope', payload('whatsapp-text'))).status).toBe(404);
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-000000000000', payload('whatsapp-text'))).status).toBe(404);
    expect((await t.post('/webhooks/instagram/00000000-0000-4000-8000-0000000000b1', payload('instagram-text'))).status).toBe(404);
    expect(t.received).toEqual([]);
  });

  it('400 for a payload that is not JSON, not this kind, or malformed; nothing stored', async () => {
    const t = setup();
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', '{"object":')).status).toBe(400);
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', payload('messenger-text'))).status).toBe(400);
    expect((await t.post('/webhooks/instagram/00000000-0000-4000-8000-0000000000c1', payload('messenger-text'))).status).toBe(400);
    const broken = payload('whatsapp-text');
    delete broken.entry[0].changes[0].value.messages[0].id;
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', broken)).status).toBe(400);
    expect(t.received).toEqual([]);
  });

  it('200 but nothing stored for events addressed to another number or page of the same app', async () => {
    const t = setup();
    const other = payload('whatsapp-text');
    other.entry[0].changes[0].value.metadata.phone_number_id = '999999999999999';
    expect((await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', other)).status).toBe(200);
    const otherPage = payload('messenger-text');
    otherPage.entry[0].id = '999';
    expect((await t.post('/webhooks/messenger/00000000-0000-4000-8000-0000000000b1', otherPage)).status).toBe(200);
    expect(t.received).toEqual([]);
    expect(t.events()).toBe(0);
  });

  it('echoes and events DiReturn does not keep are answered 200 and dropped', async () => {
    const t = setup();
    expect((await t.post('/webhooks/instagram/00000000-0000-4000-8000-0000000000c1', payload('instagram-echo'))).status).toBe(200);
    expect((await t.post('/webhooks/messenger/00000000-0000-4000-8000-0000000000b1', payload('messenger-read'))).status).toBe(200);
    expect(t.received).toEqual([]);
  });

  it('a paused account: 503 so Meta sends again later; storage failing: 500', async () => {
    const t = setup();
    const paused = await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a2', payload('whatsapp-text'));
    expect(paused.status).toBe(503);
    expect(paused.headers.get('retry-after')).toBe('600');
    expect(t.received).toEqual([]);
    expect((await setup({ failing: true }).post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', payload('whatsapp-text'))).status).toBe(500);
  });

  it('refuses bodies larger than Meta ever sends', async () => {
    const t = setup();
    const res = await t.post('/webhooks/whatsapp/00000000-0000-4000-8000-0000000000a1', `{"object":"whatsapp_business_account","entry":[],"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(res.status).toBe(413);
  });
});
