import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMail } from '../../test-support/compose-mail.js';
import { TestSmtp } from '../../test-support/smtp.js';
import { mayAutoAnswer, toInbound } from './email-inbound.js';
import { emailSettings } from './email-settings.js';
import { composeOutgoing, replySubject, sendMail, SmtpTransports } from './outgoing.js';
import { parseMail } from './parse-mail.js';
import { conversationOfToken, replyToken } from './reply-address.js';

/** Outgoing mail through a real SMTP server, and the way back in (no database: pure functions). */
let smtp: TestSmtp;
const transports = new SmtpTransports();
beforeAll(async () => {
  smtp = await TestSmtp.start();
});
afterAll(async () => {
  transports.close();
  await smtp?.stop();
});

const account = () => ({
  id: 'acc-1',
  kind: 'email' as const,
  name: 'Beratung',
  siteId: 'demo',
  status: 'active' as const,
  settings: { address: 'beratung@example.org', fromName: 'Rückkehrberatung', imapHost: '127.0.0.1', imapPort: '143', imapTls: 'false', smtpUrl: smtp.url },
  secrets: { imapPassword: 'x', webhookSecret: randomBytes(32).toString('base64url') },
});

describe('settings', () => {
  it('never lets a password cross a network in plain text: TLS, or STARTTLS required, except on this machine', () => {
    const remote = emailSettings({ ...account(), settings: { address: 'beratung@example.org', imapHost: 'imap.example.org', imapTls: 'false', smtpUrl: 'smtp://beratung@smtp.example.org:587' }, secrets: { imapPassword: 'x', smtpPassword: 'y' } });
    expect(remote.imap).toMatchObject({ secure: false, cleartext: false, port: 143, user: 'beratung@example.org' });
    expect(remote.smtp).toMatchObject({ secure: false, requireTLS: true, port: 587, user: 'beratung', password: 'y' });
    const tls = emailSettings({ ...account(), settings: { address: 'beratung@example.org', imapHost: 'imap.example.org', smtpUrl: 'smtps://smtp.example.org' }, secrets: { imapPassword: 'x' } });
    expect(tls.imap).toMatchObject({ secure: true, port: 993 });
    expect(tls.smtp).toMatchObject({ secure: true, port: 465, user: undefined, password: undefined });
    const local = emailSettings(account());
    expect(local.imap.cleartext).toBe(true);
    expect(local.smtp.requireTLS).toBe(false);
  });

  it('refuses what cannot work, naming the field but not its value', () => {
    const bad = (settings: Record<string, string>, secrets: Record<string, string> = { imapPassword: 'x' }) => () => emailSettings({ ...account(), settings: { ...account().settings, ...settings }, secrets });
    expect(bad({ address: 'beratung+x@example.org' })).toThrow(/^address:/);
    expect(bad({ smtpUrl: 'smtp://u:geheim@h.example.org' })).toThrow(/^smtpUrl: must not contain the password/);
    expect(bad({ smtpUrl: 'smtp://u:geheim@h.example.org' })).not.toThrow(/geheim/);
    expect(bad({ imapHost: 'bad host' })).toThrow(/^imapHost:/);
    expect(bad({}, {})).toThrow(/^imapPassword: missing/);
  });
});

describe('reply tokens', () => {
  it('name their conversation only for the address they were made for', () => {
    const key = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const token = replyToken(key, id, 'Amina@Sender.example')!;
    expect(token).toMatch(/^[a-z2-7]{42}$/);
    expect(conversationOfToken(key, token, 'amina@sender.example')).toBe(id);
    expect(conversationOfToken(key, token.toUpperCase(), 'amina@sender.example')).toBe(id);
    expect(conversationOfToken(key, token, 'someone-else@sender.example')).toBeUndefined();
    expect(conversationOfToken(randomBytes(32).toString('base64url'), token, 'amina@sender.example')).toBeUndefined();
    // A changed character of the id breaks the MAC.
    const forged = (token[0] === 'a' ? 'b' : 'a') + token.slice(1);
    expect(conversationOfToken(key, forged, 'amina@sender.example')).toBeUndefined();
  });
});

describe('outgoing mail', () => {
  it('threads a reply (Message-ID, In-Reply-To, References, "Re:") from an address that leads back to the conversation', async () => {
    const a = account();
    const settings = emailSettings(a);
    const conversationId = randomUUID();
    const { message, messageId } = composeOutgoing(settings, {
      conversationId,
      contact: 'amina@sender.example',
      text: 'Guten Tag, gern helfen wir Ihnen.',
      thread: { messageId: '<m2@sender.example>', references: '<m0@sender.example> <m1@sender.example>', subject: 'AW: Frage zur Rückkehr' },
      automatic: false,
    });
    const before = smtp.mails.length;
    await sendMail(transports.get(a.id, settings), message);
    const sent = await smtp.waitFor(before + 1);
    const parsed = await parseMail(Buffer.from(sent.raw));
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.inReplyTo).toBe('<m2@sender.example>');
    expect(parsed.references).toEqual(['<m0@sender.example>', '<m1@sender.example>', '<m2@sender.example>']);
    expect(parsed.subject).toBe('Re: Frage zur Rückkehr');
    expect(parsed.text).toBe('Guten Tag, gern helfen wir Ihnen.');
    expect(parsed.automated).toBeUndefined();
    expect(sent.raw).not.toMatch(/^Auto-Submitted:/im);
    // From, Reply-To and the envelope sender (bounces) are the conversation's reply address.
    expect(sent.from).toMatch(/^beratung\+[a-z2-7]{42}@example\.org$/);
    expect(sent.raw).toMatch(new RegExp(`^Reply-To: ${sent.from.replace('+', '\\+')}`, 'im'));
    expect(sent.to).toEqual(['amina@sender.example']);

    // The person answers: to the reply address, or (a program that dropped it) to the plain one with References.
    for (const to of [sent.from, 'beratung@example.org']) {
      const answer = await parseMail(await composeMail({ from: 'amina@sender.example', to, subject: 'Re: Frage', text: 'Danke!', inReplyTo: messageId, references: [messageId] }));
      const inbound = await toInbound(a.id, settings, answer, Date.now());
      expect('message' in inbound && inbound.message.conversationHint).toBe(conversationId);
    }
    // Someone the mail was forwarded to starts their own conversation.
    const stranger = await parseMail(await composeMail({ from: 'other@sender.example', to: sent.from, subject: 'Re: Frage', text: 'Ich auch', inReplyTo: messageId }));
    const inbound = await toInbound(a.id, settings, stranger, Date.now());
    expect('message' in inbound && inbound.message.conversationHint).toBeUndefined();
  });

  it('marks DiReturn’s own answers Auto-Submitted', async () => {
    const a = account();
    const settings = emailSettings(a);
    const { message } = composeOutgoing(settings, { conversationId: randomUUID(), contact: 'amina@sender.example', text: 'automatisch', thread: { subject: 'Frage' }, automatic: true });
    const before = smtp.mails.length;
    await sendMail(transports.get(a.id, settings), message);
    const sent = await smtp.waitFor(before + 1);
    expect(sent.raw).toMatch(/^Auto-Submitted: auto-replied/im);
    expect((await parseMail(Buffer.from(sent.raw))).automated).toBe('auto-submitted');
  });

  it('routes a bounce of a reply into the conversation of the address that failed, and drops backscatter', async () => {
    const a = account();
    const settings = emailSettings(a);
    const conversationId = randomUUID();
    const { message } = composeOutgoing(settings, { conversationId, contact: 'gone@sender.example', text: 'x', thread: undefined, automatic: false });
    const envelopeFrom = (message.envelope as { from: string }).from;
    const bounce = (to: string) =>
      Buffer.from(
        [
          'From: MAILER-DAEMON@mx.sender.example',
          `To: ${to}`,
          'Subject: Undelivered Mail Returned to Sender',
          `Message-ID: <${randomBytes(6).toString('hex')}@mx.sender.example>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'Your mail could not be delivered.',
          '--b',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.sender.example',
          '',
          'Final-Recipient: rfc822; gone@sender.example',
          'Action: failed',
          'Status: 5.1.1',
          '--b--',
          '',
        ].join('\r\n'),
      );
    const routed = await toInbound(a.id, settings, await parseMail(bounce(envelopeFrom)), Date.now());
    expect('message' in routed && routed.message).toMatchObject({ conversationHint: conversationId, contact: 'gone@sender.example', attachments: [] });
    expect(await toInbound(a.id, settings, await parseMail(bounce('beratung@example.org')), Date.now())).toEqual({ skip: 'unroutable-bounce' });
  });

  it('never answers machines automatically', async () => {
    const person = await parseMail(await composeMail({ from: 'amina@sender.example', to: 'beratung@example.org', subject: 'x', text: 'Hallo' }));
    expect(mayAutoAnswer(person)).toBe(true);
    for (const spec of [
      { from: 'amina@sender.example', headers: { 'Auto-Submitted': 'auto-replied' } },
      { from: 'news@list.example', headers: { 'List-Id': '<l.list.example>' } },
      { from: 'noreply@shop.example' },
      { from: 'MAILER-DAEMON@mx.example' },
    ]) {
      expect(mayAutoAnswer(await parseMail(await composeMail({ to: 'beratung@example.org', subject: 'x', text: 'y', ...spec })))).toBe(false);
    }
  });

  it('writes "Re:" once', () => {
    expect(replySubject('AW: Re: Frage', 'x')).toBe('Re: Frage');
    expect(replySubject('RE[2]: Frage', 'x')).toBe('Re: Frage');
    expect(replySubject('', 'Beratung')).toBe('Beratung');
  });
});
