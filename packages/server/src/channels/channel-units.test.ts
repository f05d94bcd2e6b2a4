import { createHash, randomBytes } from 'node:crypto';
import { GrammyError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '@direturn/protocol';
import { Keyring } from '../security/keyring.js';
import { telegramFixture } from '../test-support/channels.js';
import { PermanentFailure, RetryLater } from './channel.js';
import { advances } from './channel.service.js';
import { contactKey, contactKeys } from './contact-key.js';
import { channelLanguage, detectLanguage } from './language.js';
import { NOTICE_TEXTS } from './notices.js';
import { inWords } from './telegram/telegram.adapter.js';
import { parseUpdate, UpdateSchema } from './telegram/telegram.updates.js';
import { secretMatches } from './webhook.js';
import * as v from 'valibot';

// The pure parts of channels (no database): run once (vitest.config.ts SQLITE_ONLY).

const parse = (name: string) => parseUpdate(v.parse(UpdateSchema, telegramFixture(name)));

describe('Telegram updates from the documentation (core.telegram.org/bots/webhooks)', () => {
  it('/start greets; the update id (never the chat id) is the provider id; the chat id is the contact', () => {
    expect(parse('message-text')).toEqual({ kind: 'start', providerMessageId: 'update:10000', contact: '1111111', sentAt: 1441645532000 });
  });

  it('text with entities is text; audio, voice and documents are attachments with their size only', () => {
    expect(parse('message-entities')).toMatchObject({ kind: 'message', text: 'Bold and italics', attachments: [] });
    expect(parse('message-audio')).toMatchObject({ kind: 'message', text: '', attachments: [{ type: 'audio', size: 3897500 }] });
    expect(parse('message-voice')).toMatchObject({ kind: 'message', text: '', attachments: [{ type: 'voice', size: 23000 }] });
    expect(parse('message-document')).toMatchObject({ kind: 'message', text: '', attachments: [{ type: 'document', size: 536392 }] });
    expect(JSON.stringify(parse('message-document'))).not.toContain('Testfile.pdf');
  });

  it('edits, callback queries, group chats and bots are ignored', () => {
    expect(parse('edited-message')).toEqual({ kind: 'ignored' });
    expect(parse('callback-query')).toEqual({ kind: 'ignored' });
    const text = telegramFixture('message-entities');
    const m = text.message as { chat: object; from: object };
    expect(parseUpdate(v.parse(UpdateSchema, { ...text, message: { ...m, chat: { ...m.chat, type: 'group' } } }))).toEqual({ kind: 'ignored' });
    expect(parseUpdate(v.parse(UpdateSchema, { ...text, message: { ...m, from: { ...m.from, is_bot: true } } }))).toEqual({ kind: 'ignored' });
  });

  it('a photo is one image of its largest size; the caption is the text; the language code is the hint', () => {
    // PhotoSize per https://core.telegram.org/bots/api#photosize
    const base = telegramFixture('message-entities');
    const m = base.message as { from: object; text?: string };
    const { text: _t, ...rest } = m;
    const photo = { ...base, message: { ...rest, from: { ...m.from, language_code: 'ru-RU' }, caption: 'Мой паспорт', photo: [{ file_id: 'a', file_unique_id: 'a', width: 90, height: 90, file_size: 1200 }, { file_id: 'b', file_unique_id: 'b', width: 800, height: 800, file_size: 64000 }] } };
    expect(parseUpdate(v.parse(UpdateSchema, photo))).toMatchObject({ kind: 'message', text: 'Мой паспорт', attachments: [{ type: 'image', size: 64000 }], languageHint: 'ru-RU' });
  });

  it('refuses what is not an update', () => {
    for (const bad of [{}, { update_id: 'x' }, { update_id: 1, message: { message_id: 1 } }, []]) expect(v.safeParse(UpdateSchema, bad).success).toBe(false);
  });
});

describe('the language of a conversation', () => {
  it('takes the channel hint when it names a shipped language, else the text, else nothing', async () => {
    expect(await channelLanguage('ru', 'Hello, I would like to go home, what should I do?')).toBe('ru');
    expect(await channelLanguage('pt-BR', 'Hello, I would like to go home, what should I do?')).toBe('en');
    expect(await channelLanguage(undefined, 'ok')).toBeUndefined();
    expect(await channelLanguage(undefined, '👍')).toBeUndefined();
  });

  it('detects the shipped languages from short chat messages', async () => {
    const short: Record<string, string> = {
      en: 'Hi, can you help me please?',
      de: 'Ich brauche Hilfe',
      fr: 'Bonjour, j ai besoin d aide',
      tr: 'Merhaba yardım lazım',
      sr: 'Zdravo, treba mi pomoć',
      ps: 'سلام، زه غواړم خپل هېواد ته ستون شم',
      fa: 'سلام، می‌خواهم برگردم',
      ar: 'مرحبا أريد العودة',
      uk: 'Привіт, мені потрібна допомога',
      ru: 'Здравствуйте, мне нужна помощь',
      ka: 'გამარჯობა, დახმარება მჭირდება',
      sq: 'Përshëndetje, kam nevojë për ndihmë',
    };
    for (const [language, text] of Object.entries(short)) expect([language, await detectLanguage(text)]).toEqual([language, language]);
  });

  it('detects the shipped languages from a sentence', async () => {
    const samples: Record<string, string> = {
      de: 'Hallo, ich möchte in mein Heimatland zurückkehren. Was muss ich tun?',
      en: 'Hello, I would like to go back to my country. What do I need to do?',
      ar: 'مرحبا، أريد العودة إلى بلدي. ماذا علي أن أفعل؟',
      fa: 'سلام، می‌خواهم به کشورم برگردم. چه کار باید بکنم؟',
      ps: 'سلام، زه غواړم خپل هېواد ته ستون شم. څه باید وکړم؟',
      tr: 'Merhaba, ülkeme geri dönmek istiyorum. Ne yapmalıyım?',
      ru: 'Здравствуйте, я хочу вернуться домой. Что мне нужно сделать?',
      uk: 'Привіт, я хочу повернутися додому. Що мені потрібно зробити?',
      sq: 'Përshëndetje, dua të kthehem në shtëpi. Çfarë duhet të bëj?',
      sr: 'Zdravo, želim da se vratim kući. Šta treba da uradim?',
      ka: 'გამარჯობა, მინდა სახლში დაბრუნება. რა უნდა გავაკეთო?',
      fr: 'Bonjour, je voudrais rentrer dans mon pays. Que dois-je faire ?',
    };
    for (const [language, text] of Object.entries(samples)) expect([language, await detectLanguage(text)]).toEqual([language, language]);
  });

  it('has the notices in every shipped language, each its own text', () => {
    for (const l of LANGUAGE_CODES) for (const n of ['greeting', 'attachment'] as const) expect(NOTICE_TEXTS[l][n].length).toBeGreaterThan(40);
    expect(new Set(LANGUAGE_CODES.map((l) => NOTICE_TEXTS[l].greeting)).size).toBe(LANGUAGE_CODES.length);
  });
});

describe('delivery states only move forward', () => {
  it('queued → sent → delivered → read; failed only before delivery; nothing after failed', () => {
    expect(advances('queued', 'sent')).toBe(true);
    expect(advances('sent', 'read')).toBe(true);
    expect(advances('read', 'delivered')).toBe(false);
    expect(advances('delivered', 'delivered')).toBe(false);
    expect(advances('sent', 'failed')).toBe(true);
    expect(advances('delivered', 'failed')).toBe(false);
    expect(advances('failed', 'read')).toBe(false);
  });
});

describe('contact lookup keys', () => {
  it('are keyed (not a plain hash), per account, and found again after a key rotation', () => {
    const [k1, k2] = [randomBytes(32), randomBytes(32)];
    const before = Keyring.of([k1]);
    const key = contactKey(before, 'account-a', '1111111');
    expect(key).not.toBe(createHash('sha256').update('1111111').digest('base64url'));
    expect(key).not.toBe(contactKey(before, 'account-b', '1111111'));
    expect(key).not.toBe(contactKey(Keyring.of([k2]), 'account-a', '1111111'));
    const after = Keyring.of([k2, k1]);
    expect(contactKeys(after, 'account-a', '1111111')).toContain(key);
    expect(contactKeys(after, 'account-a', '1111111')[0]).toBe(contactKey(Keyring.of([k2]), 'account-a', '1111111'));
  });
});

describe('webhook secrets', () => {
  it('match only exactly', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abd', 'abc')).toBe(false);
    expect(secretMatches('abcd', 'abc')).toBe(false);
    expect(secretMatches(undefined, 'abc')).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
});

describe('Bot API errors in words', () => {
  const err = (error_code: number, description: string, parameters = {}) => new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code, description, parameters }, 'sendMessage', { chat_id: 1111111, text: 'Geheim' });
  it('waits as Telegram asks on 429, fails for good on what no retry fixes, retries the rest; never repeats the request', () => {
    const wait = inWords(err(429, 'Too Many Requests: retry after 7', { retry_after: 7 }));
    expect(wait).toBeInstanceOf(RetryLater);
    expect((wait as RetryLater).retryAfterMs).toBe(7000);
    expect(inWords(err(403, 'Forbidden: bot was blocked by the user'))).toBeInstanceOf(PermanentFailure);
    expect(inWords(err(400, 'Bad Request: chat not found')).message).toBe('Telegram does not know this chat any more (the person may have deleted it).');
    expect(inWords(err(401, 'Unauthorized'))).toBeInstanceOf(PermanentFailure);
    const retry = inWords(err(502, 'Bad Gateway'));
    expect(retry).not.toBeInstanceOf(PermanentFailure);
    expect(retry.message).toBe('Telegram answered 502 (Bad Gateway); trying again.');
    for (const e of [wait, retry]) expect(e.message).not.toMatch(/1111111|Geheim/);
  });
});
