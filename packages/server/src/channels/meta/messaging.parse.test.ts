import { describe, expect, it } from 'vitest';
import { providerId } from './events.js';
import { payload } from '../../test-support/meta-fixtures.js';
import { parseMessaging } from './messaging.parse.js';

const PAGE_ID = '1234567890123456';
const IG_ID = '17841405822304914';

function parsed(body: unknown, object: 'page' | 'instagram') {
  const outcome = parseMessaging(body, object);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.events;
}

describe('Messenger webhooks → port events', () => {
  it('a text message from a PSID to the page', () => {
    expect(parsed(payload('messenger-text'), 'page').messages).toEqual([
      {
        target: PAGE_ID,
        message: { providerMessageId: providerId('mid.1457764197618:41d102a3e1ae206a38'), contact: '6543210987654321', text: 'hello, world!', attachments: [], sentAt: 1458692752478 },
      },
    ]);
  });

  it('attachments by type, never their URL', () => {
    const events = parsed(payload('messenger-attachment'), 'page');
    expect(events.messages[0]!.message).toMatchObject({ text: '', attachments: [{ type: 'image' }] });
    expect(JSON.stringify(events)).not.toContain('fbcdn');
    const file = payload('messenger-attachment');
    file.entry[0].messaging[0].message.attachments[0].type = 'file';
    expect(parsed(file, 'page').messages[0]!.message.attachments).toEqual([{ type: 'document' }]);
    file.entry[0].messaging[0].message.attachments[0].type = 'ig_reel';
    expect(parsed(file, 'page').messages[0]!.message.attachments).toEqual([{ type: 'other' }]);
  });

  it('ignores echoes of what the page sent', () => {
    const events = parsed(payload('messenger-echo'), 'page');
    expect(events.messages).toEqual([]);
    expect(events.ignored).toBe(1);
  });

  it('a delivery with mids becomes a delivered status per message; a watermark alone names none', () => {
    expect(parsed(payload('messenger-delivery'), 'page').statuses).toEqual([
      { target: PAGE_ID, status: { providerMessageId: providerId('mid.1458668856218:ed81099e15d3f4f233'), status: 'delivered', at: 1458668856253 } },
    ]);
    const noMids = payload('messenger-delivery');
    delete noMids.entry[0].messaging[0].delivery.mids;
    expect(parsed(noMids, 'page').statuses).toEqual([]);
    expect(parsed(payload('messenger-read'), 'page')).toMatchObject({ statuses: [], ignored: 1 });
  });

  it('"Get started" (a postback) greets the person; no message, no conversation', () => {
    const events = parsed(payload('messenger-postback'), 'page');
    expect(events.messages).toEqual([]);
    expect(events.greetings).toEqual([
      {
        target: PAGE_ID,
        greeting: { providerMessageId: providerId('m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P'), contact: '6543210987654321', sentAt: 1527459824000 },
      },
    ]);
  });

  it('refuses an Instagram payload on the Messenger route and malformed events', () => {
    expect(parseMessaging(payload('instagram-text'), 'page').ok).toBe(false);
    const noMid = payload('messenger-text');
    delete noMid.entry[0].messaging[0].message.mid;
    expect(parseMessaging(noMid, 'page').ok).toBe(false);
    const noRecipient = payload('messenger-text');
    delete noRecipient.entry[0].messaging[0].recipient;
    expect(parseMessaging(noRecipient, 'page').ok).toBe(false);
    expect(parseMessaging({ object: 'page', entry: 'x' }, 'page').ok).toBe(false);
    expect(parseMessaging(null, 'page').ok).toBe(false);
  });
});

describe('Instagram webhooks → port events', () => {
  it('a text message from an IGSID to the professional account', () => {
    const [m] = parsed(payload('instagram-text'), 'instagram').messages;
    expect(m).toMatchObject({ target: IG_ID, message: { contact: '1254459154682919', text: 'Hi, can I ask something?', attachments: [], sentAt: 1569262485349 } });
    expect(m!.message.providerMessageId).toMatch(/^meta:/);
  });

  it('attachments, echoes ignored, seen → read status of the message named', () => {
    expect(parsed(payload('instagram-attachment'), 'instagram').messages[0]!.message.attachments).toEqual([{ type: 'image' }]);
    expect(parsed(payload('instagram-echo'), 'instagram')).toMatchObject({ messages: [], ignored: 1 });
    const seen = payload('instagram-seen');
    expect(parsed(seen, 'instagram').statuses).toEqual([
      { target: IG_ID, status: { providerMessageId: providerId(seen.entry[0].messaging[0].read.mid), status: 'read', at: 1569262485349 } },
    ]);
  });

  it('refuses a Messenger payload on the Instagram route', () => {
    expect(parseMessaging(payload('messenger-text'), 'instagram').ok).toBe(false);
  });
});
