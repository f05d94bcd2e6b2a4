import { describe, expect, it } from 'vitest';
import { composeMail } from '../../test-support/compose-mail.js';
import { MAIL_TEXT_MAX_CHARS, parseMail } from './parse-mail.js';

const base = { from: 'Amina <Amina@Sender.example>', to: 'beratung@example.org', subject: 'Frage' };

describe('parseMail', () => {
  it('turns an HTML-only mail into safe plain text (no markup, no script, no styles, links kept as text)', async () => {
    const html = `<html><head><title>t</title><style>p{color:red}</style><script>alert('x')</script></head>
      <body><p>Hallo <b>Team</b>,</p><p>hier ist <a href="https://example.org/doc">mein Dokument</a>.</p>
      <img src="https://tracker.example/pixel.gif" alt="pixel"><script>document.cookie</script>
      <p>&lt;script&gt;alert(1)&lt;/script&gt; bleibt Text</p></body></html>`;
    const mail = await parseMail(await composeMail({ ...base, html }));
    expect(mail.text).toContain('Hallo Team,');
    expect(mail.text).toContain('mein Dokument [https://example.org/doc]');
    expect(mail.text).not.toMatch(/alert\('x'\)|document\.cookie|color:red|pixel|<b>|<p>/);
    // Escaped markup the sender wrote stays visible text (the console shows text, never HTML).
    expect(mail.text).toContain('<script>alert(1)</script> bleibt Text');
  });

  it('prefers the plain part of a mail that has both', async () => {
    const mail = await parseMail(await composeMail({ ...base, text: 'nur Text', html: '<p>HTML</p>' }));
    expect(mail.text).toBe('nur Text');
  });

  it('keeps threading headers and the sender, lower case', async () => {
    const mail = await parseMail(
      await composeMail({ ...base, messageId: '<m2@sender.example>', inReplyTo: '<r1@example.org>', references: ['<r0@example.org>', '<r1@example.org>'], text: 'Antwort', headers: { 'Delivered-To': 'beratung+abc@example.org' } }),
    );
    expect(mail).toMatchObject({ messageId: '<m2@sender.example>', inReplyTo: '<r1@example.org>', references: ['<r0@example.org>', '<r1@example.org>'], from: 'amina@sender.example' });
    expect(mail.recipients).toEqual(expect.arrayContaining(['beratung@example.org', 'beratung+abc@example.org']));
  });

  it('lists attachments as type and size only', async () => {
    const mail = await parseMail(await composeMail({ ...base, text: 'Anbei', attachments: [{ filename: 'a.pdf', content: Buffer.alloc(1234, 1), contentType: 'application/pdf' }] }));
    expect(mail.attachments).toEqual([{ type: 'application/pdf', size: 1234 }]);
  });

  it('gives a mail without Message-ID a stable id of its own', async () => {
    const raw = Buffer.from('From: a@sender.example\r\nTo: beratung@example.org\r\nSubject: ohne\r\nDate: Mon, 7 Dec 2026 10:00:00 +0100\r\n\r\nText\r\n');
    const [a, b] = [await parseMail(raw), await parseMail(raw)];
    expect(a.messageId).toMatch(/^<[0-9a-f]{40}@no-message-id>$/);
    expect(b.messageId).toBe(a.messageId);
  });

  it('cuts a very long text', async () => {
    const mail = await parseMail(await composeMail({ ...base, text: 'Wort '.repeat(10_000) }));
    expect(mail.text.length).toBeLessThanOrEqual(MAIL_TEXT_MAX_CHARS);
    expect(mail.truncated).toBe(true);
  });

  it.each([
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }, 'auto-submitted'],
    ['an out-of-office reply (Exchange)', { 'X-Auto-Response-Suppress': 'All' }, 'auto-submitted'],
    ['a mailing list', { 'List-Id': '<news.example.org>' }, 'list'],
    ['bulk mail', { Precedence: 'bulk' }, 'bulk'],
  ] as const)('marks %s as automated', async (_, headers, kind) => {
    expect((await parseMail(await composeMail({ ...base, text: 'x', headers }))).automated).toBe(kind);
  });

  it('marks a delivery failure report (bounce) as automated', async () => {
    const raw = Buffer.from(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
        'To: beratung@example.org',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce1@mx.example.org>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'The mail could not be delivered.',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.org',
        '',
        'Final-Recipient: rfc822; nobody@sender.example',
        'Action: failed',
        'Status: 5.1.1',
        '--b--',
        '',
      ].join('\r\n'),
    );
    const mail = await parseMail(raw);
    expect(mail.automated).toBe('bounce');
    expect(mail.text).toContain('could not be delivered');
    expect(mail.failedRecipients).toEqual(['nobody@sender.example']);
  });

  it('does not mark a person’s mail with Auto-Submitted: no', async () => {
    expect((await parseMail(await composeMail({ ...base, text: 'x', headers: { 'Auto-Submitted': 'no' } }))).automated).toBeUndefined();
  });

  it('keeps a reply without the history quoted below it, and a mail that is not a reply whole', async () => {
    const reply = "Danke, ich komme am Montag.\n\nAm Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Rückkehrberatung <beratung@example.org>:\n> Guten Tag,\n> gern helfen wir.\n";
    expect((await parseMail(await composeMail({ ...base, text: reply, inReplyTo: '<r1@example.org>' }))).text).toBe('Danke, ich komme am Montag.');
    const outlook = 'Passt.\n\n-----Original Message-----\nFrom: Beratung\nSent: Monday\nTo: x\nSubject: y\n\nHallo\n';
    expect((await parseMail(await composeMail({ ...base, text: outlook, references: ['<r1@example.org>'] }))).text).toBe('Passt.');
    // Only a quote (nothing of their own): kept whole rather than empty.
    const onlyQuote = 'On Mon, Dec 7, 2026 at 10:00 AM Beratung <beratung@example.org> wrote:\n> Hello\n';
    expect((await parseMail(await composeMail({ ...base, text: onlyQuote, inReplyTo: '<r1@example.org>' }))).text).toContain('> Hello');
    // A first mail quoting something is the person's own text.
    expect((await parseMail(await composeMail({ ...base, text: reply }))).text).toContain('gern helfen wir');
  });
});
