import { describe, expect, it } from 'vitest';
import { providerId } from './events.js';
import { payload } from '../../test-support/meta-fixtures.js';
import { parseWhatsApp } from './whatsapp.parse.js';

const PHONE_NUMBER_ID = '106540352242922';

function parsed(body: unknown) {
  const outcome = parseWhatsApp(body);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.events;
}

describe('WhatsApp webhooks → port events', () => {
  it('a text message: its provider id hashed, the person by WhatsApp id, time in ms, addressed to the phone number id', () => {
    const events = parsed(payload('whatsapp-text'));
    expect(events.messages).toEqual([
      {
        target: PHONE_NUMBER_ID,
        message: {
          providerMessageId: providerId('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA='),
          contact: '16505551234',
          text: 'Does it come in another color?',
          attachments: [],
          sentAt: 1739321024000,
        },
      },
    ]);
    expect(events.statuses).toEqual([]);
    // A wamid carries the phone number (base64): it must not be what is stored.
    expect(events.messages[0]!.message.providerMessageId).not.toContain('HBgLMTY1MDM4Nzk0Mzk');
  });

  it('keys a person by their business-scoped user id where Meta gives one, even without a phone number', () => {
    const events = parsed(payload('whatsapp-bsuid-text'));
    expect(events.messages.map((m) => m.message.contact)).toEqual(['US.13491208655302741918']);
    const both = payload('whatsapp-text');
    both.entry[0].changes[0].value.contacts[0].user_id = 'DE.1502000000000001';
    expect(parsed(both).messages[0]!.message.contact).toBe('DE.1502000000000001');
  });

  it.each([
    ['whatsapp-image', 'image', 'Black jacket'],
    ['whatsapp-audio', 'voice', ''],
    ['whatsapp-document', 'document', 'Lucky Shrub Invoice'],
    ['whatsapp-video', 'video', 'Unboxing'],
    ['whatsapp-sticker', 'sticker', ''],
  ] as const)('%s: an attachment of type %s (never its content or file name), the caption as text', (name, type, text) => {
    const [m] = parsed(payload(name)).messages;
    expect(m!.message.attachments).toEqual([{ type }]);
    expect(m!.message.text).toBe(text);
    expect(JSON.stringify(m)).not.toContain('lucky-shrub-invoice.pdf');
  });

  it('an audio file that is not a voice message stays audio', () => {
    const body = payload('whatsapp-audio');
    body.entry[0].changes[0].value.messages[0].audio.voice = false;
    expect(parsed(body).messages[0]!.message.attachments).toEqual([{ type: 'audio' }]);
  });

  it('takes the size of an attachment when Meta tells it', () => {
    const body = payload('whatsapp-document');
    body.entry[0].changes[0].value.messages[0].document.file_size = 48213;
    expect(parsed(body).messages[0]!.message.attachments).toEqual([{ type: 'document', size: 48213 }]);
  });

  it('notes a location or contact card without its content; ignores reactions and system notices', () => {
    const body = payload('whatsapp-text');
    const value = body.entry[0].changes[0].value;
    const base = value.messages[0];
    value.messages = [
      { ...base, id: 'wamid.loc', type: 'location', text: undefined, location: { latitude: 52.52, longitude: 13.4, name: 'Home' } },
      { ...base, id: 'wamid.card', type: 'contacts', text: undefined, contacts: [{ name: { formatted_name: 'Someone' } }] },
      { ...base, id: 'wamid.unsupported', type: 'unsupported', text: undefined, errors: [{ code: 131051, title: 'Message type unknown' }] },
      { ...base, id: 'wamid.react', type: 'reaction', text: undefined, reaction: { message_id: 'wamid.x', emoji: '👍' } },
      { ...base, id: 'wamid.sys', type: 'system', text: undefined, system: { body: 'changed number' } },
    ];
    const events = parsed(body);
    expect(events.messages.map((m) => m.message.attachments)).toEqual([[{ type: 'location' }], [{ type: 'contact' }], [{ type: 'other' }]]);
    expect(JSON.stringify(events)).not.toMatch(/52\.52|Someone|Home/);
    expect(events.ignored).toBe(2);
  });

  it('a welcome request (the person opened the chat) greets them and is no message', () => {
    const body = payload('whatsapp-text');
    const m = body.entry[0].changes[0].value.messages[0];
    m.type = 'request_welcome';
    delete m.text;
    const events = parsed(body);
    expect(events.messages).toEqual([]);
    expect(events.greetings).toEqual([{ target: PHONE_NUMBER_ID, greeting: { providerMessageId: providerId(m.id), contact: '16505551234', sentAt: 1739321024000 } }]);
  });

  it('statuses: sent, delivered, read by the hashed wamid of the message we sent', () => {
    for (const status of ['sent', 'delivered', 'read'] as const) {
      const events = parsed(payload(`whatsapp-status-${status}`));
      expect(events.statuses).toEqual([
        { target: PHONE_NUMBER_ID, status: { providerMessageId: providerId('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjE0M0JCNEY4MzZCMUNGNzIA'), status, at: 1739321026000 } },
      ]);
      expect(events.messages).toEqual([]);
    }
  });

  it('a failed status carries the error in words (title, details, code) without numbers that could be a phone', () => {
    const [s] = parsed(payload('whatsapp-status-failed')).statuses;
    expect(s!.status).toMatchObject({ status: 'failed', reason: 'Message undeliverable: Message Undeliverable. (131026)' });
    const body = payload('whatsapp-status-failed');
    body.entry[0].changes[0].value.statuses[0].errors[0].error_data.details = 'Recipient +49 151 23456789 is not on WhatsApp';
    expect(parsed(body).statuses[0]!.status.reason).toBe('Message undeliverable: Recipient <number> is not on WhatsApp (131026)');
  });

  it('account-level errors become words for the admins', () => {
    const events = parsed(payload('whatsapp-errors'));
    expect(events.errors).toEqual([
      { target: PHONE_NUMBER_ID, error: 'Rate limit hit: Message failed to send because there were too many messages sent from this phone number in a short period of time (130429)' },
    ]);
  });

  it('ignores other webhook fields and statuses it does not know', () => {
    const body = payload('whatsapp-status-sent');
    body.entry[0].changes.push({ field: 'message_template_status_update', value: { event: 'APPROVED' } });
    body.entry[0].changes[0].value.statuses.push({ ...body.entry[0].changes[0].value.statuses[0], status: 'deleted' });
    const events = parsed(body);
    expect(events.statuses).toHaveLength(1);
    expect(events.ignored).toBe(2);
  });

  it.each([
    ['not an object', 'hello'],
    ['another object', { ...payload('whatsapp-text'), object: 'page' }],
    ['no entry', { object: 'whatsapp_business_account' }],
    ['no metadata', (() => { const b = payload('whatsapp-text'); delete b.entry[0].changes[0].value.metadata; return b; })()],
    ['a message without id', (() => { const b = payload('whatsapp-text'); delete b.entry[0].changes[0].value.messages[0].id; return b; })()],
    ['a timestamp that is not a number', (() => { const b = payload('whatsapp-text'); b.entry[0].changes[0].value.messages[0].timestamp = 'yesterday'; return b; })()],
  ])('refuses %s', (_what, body) => {
    expect(parseWhatsApp(body).ok).toBe(false);
  });

  it('says where a payload is malformed without quoting what it holds', () => {
    const b = payload('whatsapp-text');
    b.entry[0].changes[0].value.messages[0].timestamp = 'Ahmad, born 1990';
    expect(parseWhatsApp(b)).toEqual({ ok: false, error: 'malformed messages change at messages.0.timestamp' });
  });
});
