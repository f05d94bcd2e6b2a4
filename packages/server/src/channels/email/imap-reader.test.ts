import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { composeMail } from '../../test-support/compose-mail.js';
import { TestImap } from '../../test-support/imap.js';
import { DEFAULT_READER_OPTIONS, ImapReader, MailRejected, type ImapReaderOptions, type MailboxCursor } from './imap-reader.js';
import type { InboundMail } from './parse-mail.js';

/** The reader against a real Dovecot (no database involved: the hooks keep state in memory). */
let imap: TestImap;
const readers: ImapReader[] = [];

beforeAll(async () => {
  imap = await TestImap.start();
});
afterAll(async () => {
  await imap?.destroy();
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
});

function startReader(options: Partial<ImapReaderOptions> = {}, refuse: (mail: InboundMail) => Error | undefined = () => undefined, cleartext = true) {
  const mails: InboundMail[] = [];
  const errors: string[] = [];
  const stored = new Set<string>();
  let cursor: MailboxCursor | undefined;
  const reader = new ImapReader(
    { host: imap.host, port: imap.port, secure: false, cleartext, user: imap.user, password: imap.password },
    {
      known: async (id) => stored.has(id),
      receive: async (mail) => {
        const refusal = refuse(mail);
        if (refusal) throw refusal;
        stored.add(mail.messageId);
        mails.push(mail);
      },
      loadCursor: async () => cursor,
      saveCursor: async (c) => void (cursor = c),
      onError: (e) => errors.push(e),
    },
    createLogger('silent'),
    { ...DEFAULT_READER_OPTIONS, reconnectMinMs: 100, reconnectMaxMs: 400, ...options },
  );
  readers.push(reader);
  reader.start();
  return { reader, mails, errors, stored };
}

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const mid = () => `<${randomBytes(8).toString('hex')}@sender.example>`;

describe('IMAP reader (Dovecot)', () => {
  it('imports new mail pushed by IDLE once, keeps it on the server, and reads it again never', async () => {
    const { mails } = startReader();
    const id = mid();
    await imap.deliver(await composeMail({ from: 'Amina <amina@sender.example>', to: imap.user, subject: 'Frage', text: 'Hallo, ich habe eine Frage zur Rückkehr.', messageId: id }));
    const mail = await until('the mail', () => mails.find((m) => m.messageId === id));
    expect(mail).toMatchObject({ from: 'amina@sender.example', subject: 'Frage', text: 'Hallo, ich habe eine Frage zur Rückkehr.', attachments: [], automated: undefined });
    expect(mail.recipients).toContain(imap.user);
    // Not deleted; marked read for people who look into the mailbox.
    const list = await imap.list();
    expect(list.find((m) => m.messageId === id)?.flags).toContain('\\Seen');
  });

  it('recognises a mail read twice by its Message-ID (a copy delivered again, flags not trusted)', async () => {
    const { mails } = startReader();
    const id = mid();
    const raw = await composeMail({ from: 'b@sender.example', to: imap.user, subject: 'x', text: 'einmal bitte', messageId: id });
    await imap.deliver(raw);
    await until('the first copy', () => mails.some((m) => m.messageId === id));
    // The same mail once more (a second delivery), and every mail marked unread by another program.
    await imap.deliver(raw);
    const marker = mid();
    await imap.deliver(await composeMail({ from: 'b@sender.example', to: imap.user, subject: 'y', text: 'danach', messageId: marker }));
    await until('the marker mail', () => mails.some((m) => m.messageId === marker));
    expect(mails.filter((m) => m.messageId === id)).toHaveLength(1);
  });

  it('imports mail that was marked read by another mail program before the reader saw it', async () => {
    const id = mid();
    await imap.deliver(await composeMail({ from: 'c@sender.example', to: imap.user, subject: 'gelesen', text: 'schon gelesen', messageId: id }));
    await imap.markAllSeen();
    const { mails } = startReader();
    await until('the mail marked read', () => mails.some((m) => m.messageId === id));
  });

  it('reconnects with backoff when the server goes away and imports what arrived meanwhile', async () => {
    const { mails, errors } = startReader();
    const first = mid();
    await imap.deliver(await composeMail({ from: 'd@sender.example', to: imap.user, subject: 'a', text: 'vorher', messageId: first }));
    await until('the first mail', () => mails.some((m) => m.messageId === first));
    await imap.stop();
    const meanwhile = mid();
    imap.deliverToMaildir(await composeMail({ from: 'd@sender.example', to: imap.user, subject: 'b', text: 'während der Pause', messageId: meanwhile }));
    // Tried again and again while the server is away (each failure reported for the admin screen).
    await until('repeated connection attempts', () => errors.length >= 3);
    await imap.start();
    await until('the mail that arrived while the server was down', () => mails.some((m) => m.messageId === meanwhile));
    // And IDLE works again on the new connection.
    const after = mid();
    await imap.deliver(await composeMail({ from: 'd@sender.example', to: imap.user, subject: 'c', text: 'danach', messageId: after }));
    await until('the mail after the restart', () => mails.some((m) => m.messageId === after));
    expect(mails.filter((m) => [first, meanwhile, after].includes(m.messageId))).toHaveLength(3);
  });

  it('deletes imported mail only when configured to', async () => {
    const { mails } = startReader({ deleteAfterImport: true });
    const id = mid();
    await imap.deliver(await composeMail({ from: 'e@sender.example', to: imap.user, subject: 'weg', text: 'bitte löschen', messageId: id }));
    await until('the mail', () => mails.some((m) => m.messageId === id));
    const end = Date.now() + 10_000;
    while ((await imap.list()).some((m) => m.messageId === id)) {
      if (Date.now() > end) throw new Error('the mail is still on the server');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('reads a 10 MB mail with attachments without downloading them: text kept, attachments as type and size', async () => {
    const { mails } = startReader();
    const id = mid();
    const pdf = randomBytes(6 * 1024 * 1024);
    const photo = randomBytes(4 * 1024 * 1024);
    const raw = await composeMail({
      from: 'f@sender.example',
      to: imap.user,
      subject: 'Dokumente',
      text: 'Anbei meine Dokumente.',
      messageId: id,
      attachments: [
        { filename: 'pass.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'foto.jpg', content: photo, contentType: 'image/jpeg' },
      ],
    });
    expect(raw.length).toBeGreaterThan(10_000_000);
    await imap.deliver(raw);
    const mail = await until('the large mail', () => mails.find((m) => m.messageId === id), 30_000);
    expect(mail.text).toBe('Anbei meine Dokumente.');
    expect(mail.attachments.map((a) => a.type)).toEqual(['application/pdf', 'image/jpeg']);
    // Sizes from the server's BODYSTRUCTURE: about the decoded size.
    expect(mail.attachments[0]!.size).toBeGreaterThan(pdf.length * 0.95);
    expect(mail.attachments[0]!.size).toBeLessThan(pdf.length * 1.05);
    expect(mail.attachments[1]!.size).toBeGreaterThan(photo.length * 0.95);
    expect(JSON.stringify(mail).length).toBeLessThan(10_000);
  });

  it('tries a mail again for as long as storing it fails, and skips only one the inbox refuses for good', async () => {
    const stubborn = mid();
    const refused = mid();
    const after = mid();
    let failures = 0;
    const { mails, errors } = startReader({ maxAttemptsPerMail: 2 }, (mail) => {
      // The database is away for a while (more tries than maxAttemptsPerMail): never skipped.
      if (mail.messageId === stubborn && failures < 4) return new Error(`storage unavailable ${++failures}`);
      if (mail.messageId === refused) return new MailRejected('bad_request');
      return undefined;
    });
    for (const [id, text] of [
      [stubborn, 'erst beim fünften Mal'],
      [refused, 'wird abgelehnt'],
      [after, 'danach'],
    ]) {
      await imap.deliver(await composeMail({ from: 'g@sender.example', to: imap.user, subject: 's', text, messageId: id }));
    }
    await until('the mail after the refused one', () => mails.some((m) => m.messageId === after));
    expect(mails.filter((m) => m.messageId === stubborn)).toHaveLength(1);
    expect(mails.some((m) => m.messageId === refused)).toBe(false);
    expect(errors.some((e) => e.includes('refused and skipped'))).toBe(true);
  });

  it('does not log in over a plain connection to a server that offers no STARTTLS (unless told it is on this machine)', async () => {
    const id = mid();
    await imap.deliver(await composeMail({ from: 'h@sender.example', to: imap.user, subject: 's', text: 'geheim', messageId: id }));
    const { mails, errors } = startReader({}, () => undefined, false);
    await until('a refused connection', () => errors.length > 0);
    expect(errors[0]).toMatch(/STARTTLS|TLS/i);
    expect(mails).toEqual([]);
  });
});
