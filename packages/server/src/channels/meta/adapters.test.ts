import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentFailure, RetryLater, type ChannelAccount, type OutboundMessage } from '../channel.js';
import { providerId } from './events.js';
import { classifyGraphError, GraphClient, parseRetryAfter } from './graph.js';
import { createMessagingAdapter } from './messaging.adapter.js';
import { instagramFits, messengerFits, splitText } from './split.js';
import { graphError, MetaGraphStandIn } from '../../test-support/meta-stand-in.js';
import { parseTemplates } from './templates.js';
import { createWhatsAppAdapter } from './whatsapp.adapter.js';
import { HOUR_MS } from './windows.js';

const T0 = Date.UTC(2026, 11, 18, 9, 0, 0);
let clock = T0;
const now = () => clock;

let standIn: MetaGraphStandIn;
let graph: GraphClient;
beforeAll(async () => {
  standIn = await MetaGraphStandIn.start();
  graph = new GraphClient({ baseUrl: standIn.url, version: 'v25.0' });
});
afterAll(() => standIn.close());
// The stand-in's port is known only once it runs: adapters reach it through this.
const viaStandIn = { sendMessage: (...args: Parameters<GraphClient['sendMessage']>) => graph.sendMessage(...args) } as GraphClient;
beforeEach(() => {
  standIn.sends.length = 0;
  standIn.accepted.length = 0;
  clock = T0;
});

const whatsapp: ChannelAccount = {
  id: 'acc-wa',
  kind: 'whatsapp',
  name: 'WhatsApp',
  siteId: 'site',
  status: 'active',
  settings: { phoneNumberId: '106540352242922', templates: 'reply_waiting:de, reply_waiting:en_US' },
  secrets: { appSecret: 's', accessToken: 'wa-token', webhookSecret: 'v' },
};
const messenger: ChannelAccount = { ...whatsapp, id: 'acc-fb', kind: 'messenger', settings: { pageId: '1234567890123456' }, secrets: { appSecret: 's', accessToken: 'page-token' } };
const instagram: ChannelAccount = { ...messenger, id: 'acc-ig', kind: 'instagram', settings: { pageId: '1234567890123456', instagramAccountId: '17841405822304914' } };

function out(o: Partial<OutboundMessage> = {}): OutboundMessage {
  return { conversationId: 'c', messageId: 'm', contact: '16505551234', text: 'Hallo, wie kann ich helfen?', language: 'de', lastInboundAt: T0 - HOUR_MS, ...o };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('WhatsApp adapter', () => {
  const adapter = createWhatsAppAdapter(viaStandIn, now);

  it('sends free-form text within 24 hours: to the phone number id, with the bearer token; returns the hashed wamid', async () => {
    const { providerMessageId } = await adapter.send(whatsapp, out());
    const [sent] = standIn.accepted;
    expect(sent).toMatchObject({ nodeId: '106540352242922', version: 'v25.0', token: 'wa-token' });
    expect(sent!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234', type: 'text', text: { preview_url: false, body: 'Hallo, wie kann ich helfen?' } });
    expect(providerMessageId).toBe(providerId(sent!.messageId));
  });

  it('addresses a person known only by their business-scoped user id in `recipient`', async () => {
    await adapter.send(whatsapp, out({ contact: 'US.13491208655302741918' }));
    expect(standIn.accepted[0]!.body).toMatchObject({ recipient: 'US.13491208655302741918' });
    expect(standIn.accepted[0]!.body.to).toBeUndefined();
  });

  it('after 24 hours refuses free-form text without asking Meta, and says why', async () => {
    clock = T0 - HOUR_MS + 24 * HOUR_MS;
    const err = await failure(adapter.send(whatsapp, out()));
    expect(err).toBeInstanceOf(PermanentFailure);
    expect(err.message).toMatch(/24 hours.*template/);
    expect(await failure(adapter.send(whatsapp, out({ lastInboundAt: null })))).toBeInstanceOf(PermanentFailure);
    expect(standIn.sends).toHaveLength(0);
  });

  it('sends a configured template at any time, and only a configured one', async () => {
    clock = T0 + 30 * 24 * HOUR_MS;
    await adapter.send(whatsapp, out({ template: { name: 'reply_waiting', language: 'de' } }));
    expect(standIn.accepted[0]!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234', type: 'template', template: { name: 'reply_waiting', language: { code: 'de' } } });
    const err = await failure(adapter.send(whatsapp, out({ template: { name: 'reply_waiting', language: 'fr' } })));
    expect(err).toBeInstanceOf(PermanentFailure);
    expect(standIn.sends).toHaveLength(1);
  });

  it('tells the console whether the 24-hour window is open', () => {
    expect(adapter.replyWindow!({ lastInboundAt: T0 }, T0 + 24 * HOUR_MS - 1)).toEqual({ open: true, rule: 'whatsapp-24h' });
    expect(adapter.replyWindow!({ lastInboundAt: T0 }, T0 + 24 * HOUR_MS)).toEqual({ open: false, rule: 'whatsapp-24h' });
    expect(adapter.replyWindow!({ lastInboundAt: null }, T0)).toEqual({ open: false, rule: 'whatsapp-24h' });
  });

  it('429 → wait as Meta says; 5xx → retry; closed window, bad recipient, bad token → permanent, in words', async () => {
    standIn.failNext(1, { status: 429, headers: { 'retry-after': '7' }, body: graphError('(#130429) Rate limit hit', 130429) });
    const throttled = await failure(adapter.send(whatsapp, out()));
    expect(throttled).toBeInstanceOf(RetryLater);
    expect((throttled as RetryLater).retryAfterMs).toBe(7000);

    standIn.failNext(1, { status: 500, body: graphError('An unknown error has occurred.', 1) });
    const down = await failure(adapter.send(whatsapp, out()));
    expect(down).not.toBeInstanceOf(PermanentFailure);
    expect(down).not.toBeInstanceOf(RetryLater);

    standIn.failNext(1, { status: 400, body: graphError('(#131047) Re-engagement message', 131047, { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' }) });
    const closed = await failure(adapter.send(whatsapp, out()));
    expect(closed).toBeInstanceOf(PermanentFailure);
    expect(closed.message).toMatch(/window is closed.*131047/);

    standIn.failNext(1, { status: 400, body: graphError('(#131026) Message undeliverable', 131026, { details: 'Recipient 16505551234 cannot be reached' }) });
    const undeliverable = await failure(adapter.send(whatsapp, out()));
    expect(undeliverable).toBeInstanceOf(PermanentFailure);
    expect(undeliverable.message).not.toContain('16505551234');

    const badToken = await failure(adapter.send({ ...whatsapp, secrets: { ...whatsapp.secrets, accessToken: '' } }, out()));
    expect(badToken).toBeInstanceOf(PermanentFailure);
    standIn.validTokens = new Set(['another']);
    const expired = await failure(adapter.send(whatsapp, out()));
    standIn.validTokens = undefined;
    expect(expired).toBeInstanceOf(PermanentFailure);
    expect(expired.message).toMatch(/access token is invalid or expired/);
    expect(expired.message).not.toContain('wa-token');
  });

  it('a network failure is retried, never permanent', async () => {
    const nowhere = createWhatsAppAdapter(new GraphClient({ baseUrl: 'http://127.0.0.1:1', version: 'v25.0' }), now);
    const err = await failure(nowhere.send(whatsapp, out()));
    expect(err).not.toBeInstanceOf(PermanentFailure);
    expect(err.message).toMatch(/could not be reached/);
  });
});

describe('Messenger and Instagram adapters', () => {
  const fb = createMessagingAdapter('messenger', viaStandIn, now);
  const ig = createMessagingAdapter('instagram', viaStandIn, now);

  it('within 24 hours: a RESPONSE to the PSID through the page', async () => {
    const { providerMessageId } = await fb.send(messenger, out({ contact: '6543210987654321' }));
    const [sent] = standIn.accepted;
    expect(sent).toMatchObject({ nodeId: '1234567890123456', token: 'page-token' });
    expect(sent!.body).toEqual({ recipient: { id: '6543210987654321' }, messaging_type: 'RESPONSE', message: { text: 'Hallo, wie kann ich helfen?' } });
    expect(providerMessageId).toBe(providerId(sent!.messageId));
  });

  it('from 24 hours to 7 days: with the HUMAN_AGENT tag; from 7 days: not at all', async () => {
    clock = T0 - HOUR_MS + 24 * HOUR_MS;
    await ig.send(instagram, out({ contact: '1254459154682919' }));
    expect(standIn.accepted[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    clock = T0 - HOUR_MS + 7 * 24 * HOUR_MS - 1;
    await fb.send(messenger, out());
    expect(standIn.accepted[1]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    clock = T0 - HOUR_MS + 7 * 24 * HOUR_MS;
    const err = await failure(fb.send(messenger, out()));
    expect(err).toBeInstanceOf(PermanentFailure);
    expect(err.message).toMatch(/7 days/);
    expect(await failure(ig.send(instagram, out({ lastInboundAt: null })))).toBeInstanceOf(PermanentFailure);
    expect(standIn.sends).toHaveLength(2);
  });

  it('tells the console the 7-day window', () => {
    expect(fb.replyWindow!({ lastInboundAt: T0 }, T0 + 7 * 24 * HOUR_MS - 1)).toEqual({ open: true, rule: 'meta-7d-human-agent' });
    expect(fb.replyWindow!({ lastInboundAt: T0 }, T0 + 7 * 24 * HOUR_MS)).toEqual({ open: false, rule: 'meta-7d-human-agent' });
  });

  it('Meta refusing the HUMAN_AGENT tag names the permission; a window Meta says is closed is permanent', async () => {
    clock = T0 + 48 * HOUR_MS;
    standIn.failNext(1, { status: 400, body: graphError('(#10) This message is sent outside of allowed window.', 10, { error_subcode: 2018278 }) });
    const err = await failure(fb.send(messenger, out()));
    expect(err).toBeInstanceOf(PermanentFailure);
    expect(err.message).toMatch(/window is closed.*Human Agent permission/);
    standIn.failNext(1, { status: 400, body: graphError("(#551) This person isn't available right now.", 551) });
    expect(await failure(fb.send(messenger, out()))).toBeInstanceOf(PermanentFailure);
  });

  it('a long reply goes out in parts within each platform limit; the last part is the message id', async () => {
    const long = `${'Wort '.repeat(500)}Ende`;
    const { providerMessageId } = await ig.send(instagram, out({ text: long }));
    expect(standIn.accepted.length).toBeGreaterThan(2);
    for (const s of standIn.accepted) expect(Buffer.byteLength(s.body.message.text)).toBeLessThan(1000);
    expect(standIn.accepted.map((s) => s.body.message.text).join(' ')).toBe(long);
    expect(providerMessageId).toBe(providerId(standIn.accepted.at(-1)!.messageId));
    expect(await failure(fb.send(messenger, out({ template: { name: 'x', language: 'de' } })))).toBeInstanceOf(PermanentFailure);
  });
});

describe('pieces', () => {
  it('Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('12')).toBe(12_000);
    expect(parseRetryAfter(new Date(T0 + 5000).toUTCString(), T0)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('classifies Graph errors', () => {
    expect(classifyGraphError('X', 400, { code: 4 }, undefined)).toBeInstanceOf(RetryLater);
    expect((classifyGraphError('X', 429, undefined, undefined) as RetryLater).retryAfterMs).toBe(60_000);
    expect(classifyGraphError('X', 503, undefined, 3000)).toBeInstanceOf(RetryLater);
    expect(classifyGraphError('X', 400, { code: 131000 }, undefined)).not.toBeInstanceOf(PermanentFailure);
    expect(classifyGraphError('X', 400, { code: 132001, message: 'Template name does not exist in the translation' }, undefined).message).toMatch(/refused the template/);
    expect(classifyGraphError('X', 403, { code: 200 }, undefined)).toBeInstanceOf(PermanentFailure);
    expect(classifyGraphError('X', 400, { code: 100, message: 'Invalid parameter' }, undefined)).toBeInstanceOf(PermanentFailure);
  });

  it('splits text at spaces within the limit, code points intact', () => {
    expect(splitText('kurz', messengerFits)).toEqual(['kurz']);
    expect(splitText('', messengerFits)).toEqual(['']);
    const emoji = '😀'.repeat(2500);
    const parts = splitText(emoji, messengerFits);
    expect(parts.map((p) => Array.from(p).length)).toEqual([2000, 500]);
    expect(parts.join('')).toBe(emoji);
    for (const p of splitText('ä'.repeat(1500), instagramFits)) expect(instagramFits(p)).toBe(true);
  });

  it('reads the templates setting', () => {
    expect(parseTemplates('reply_waiting:de, reply_waiting:en_US')).toEqual([
      { name: 'reply_waiting', language: 'de' },
      { name: 'reply_waiting', language: 'en_US' },
    ]);
    expect(parseTemplates('')).toEqual([]);
    expect(parseTemplates('Bad Name:de')).toEqual([]);
  });
});
