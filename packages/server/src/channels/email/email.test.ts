import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMail, type MailSpec } from '../../test-support/compose-mail.js';
import { agent, api, login, startTestServer, type AgentClient, type TestServer } from '../../test-support/harness.js';
import { TestImap } from '../../test-support/imap.js';
import { TestSmtp, type ReceivedMail } from '../../test-support/smtp.js';
import { loadCursor, releaseLease, saveCursor, takeLease } from './email.repository.js';
import { parseMail } from './parse-mail.js';

// The e-mail channel end to end on both databases: a real Dovecot mailbox read over IMAP, a real SMTP
// server receiving what DiReturn sends, the server in between with its outbox and consoles.

let imap: TestImap;
let smtp: TestSmtp;
let t: TestServer;
let admin: string;
let console_: AgentClient;
let accountId: string;

const FAST = {
  DIRETURN_OUTBOX_RETRY_SECONDS: '0.05',
  DIRETURN_OUTBOX_POLL_SECONDS: '0.05',
  DIRETURN_EMAIL_CHECK_MS: '100',
  DIRETURN_EMAIL_RECONNECT_MS: '100',
  DIRETURN_EMAIL_POLL_MS: '1000',
};

beforeAll(async () => {
  [imap, smtp] = await Promise.all([TestImap.start(), TestSmtp.start()]);
  t = await startTestServer({ env: FAST });
  admin = await login(t);
  console_ = await agent(t, admin);
  const sites = await api(t, admin, 'GET', '/sites');
  const siteId = (sites.json.sites as Array<{ id: string; key: string }>).find((s) => s.key === 'demo')!.id;
  const created = await api(t, admin, 'POST', '/channels', {
    kind: 'email',
    name: 'Beratung per E-Mail',
    siteId,
    settings: { address: imap.user, fromName: 'Rückkehrberatung', imapHost: imap.host, imapPort: String(imap.port), imapTls: 'false', smtpUrl: smtp.url },
    secrets: { imapPassword: imap.password },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  accountId = created.json.account.id;
}, 60_000);

afterAll(async () => {
  await console_?.close();
  await t?.stop();
  await Promise.all([imap?.destroy(), smtp?.stop()]);
});

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sender = () => `p${randomBytes(5).toString('hex')}@sender.example`;
const mid = () => `<${randomBytes(8).toString('hex')}@sender.example>`;
const mail = (spec: MailSpec) => composeMail({ to: imap.user, subject: 'Frage', ...spec });

/** The conversation of a channel contact, found by a phrase of its first message (the console's search is not needed). */
async function conversationWith(text: string): Promise<{ id: string; language: string; messages: Array<{ author: string; body: string; attachments?: Array<{ type: string; size?: number }> }> }> {
  return until(`a conversation with "${text}"`, async () => {
    const list = (await api(t, admin, 'GET', '/conversations?status=waiting')).json.conversations as Array<{ id: string }>;
    for (const c of list ?? []) {
      const detail = (await api(t, admin, 'GET', `/conversations/${c.id}`)).json;
      if ((detail.messages as Array<{ body: string }>).some((m) => m.body.includes(text))) return { ...detail.conversation, messages: detail.messages };
    }
    return undefined;
  });
}

const mailsTo = (address: string): ReceivedMail[] => smtp.mails.filter((m) => m.to.includes(address));

describe('e-mail channel', () => {
  it('a mail opens a conversation in its language, gets one automatic answer, a counsellor’s reply reaches the sender threaded, and the answer lands in the same conversation', async () => {
    const from = sender();
    const firstId = mid();
    await imap.deliver(await mail({ from, messageId: firstId, subject: 'Question sur le retour', text: "Bonjour, je voudrais savoir si je peux obtenir de l'aide pour retourner dans mon pays." }));
    const c = await conversationWith("obtenir de l'aide");
    expect(c.language).toBe('fr');

    // The automatic first answer: French, threaded, marked automatic.
    const auto = await until('the automatic answer', () => mailsTo(from)[0]);
    const autoParsed = await parseMail(Buffer.from(auto.raw));
    expect(autoParsed.text).toContain('Merci pour votre message');
    expect(autoParsed.inReplyTo).toBe(firstId);
    expect(autoParsed.subject).toBe('Re: Question sur le retour');
    expect(auto.raw).toMatch(/^Auto-Submitted: auto-replied/im);

    // A counsellor claims it and answers.
    expect((await api(t, admin, 'POST', `/conversations/${c.id}/claim`)).status).toBe(200);
    console_.send({ type: 'send', conversationId: c.id, clientId: `reply-${randomBytes(4).toString('hex')}`, body: 'Bonjour, oui, nous pouvons vous aider.' });
    const reply = await until('the counsellor’s reply', () => mailsTo(from).find((m) => m.text.includes('nous pouvons vous aider')));
    const replyParsed = await parseMail(Buffer.from(reply.raw));
    expect(replyParsed.inReplyTo).toBe(firstId);
    expect(replyParsed.references).toContain(firstId);
    expect(replyParsed.subject).toBe('Re: Question sur le retour');
    expect(reply.raw).not.toMatch(/^Auto-Submitted:/im);
    expect(reply.from).toMatch(/^beratung\+[a-z2-7]{42}@example\.org$/);

    // The sender answers the reply (to its reply address): the same conversation, no second automatic answer.
    await imap.deliver(await composeMail({ from, to: reply.from, subject: 'Re: Question sur le retour', text: 'Merci beaucoup, quand puis-je venir ?', inReplyTo: replyParsed.messageId, references: [firstId, replyParsed.messageId] }));
    await until('the answer in the same conversation', async () => {
      const detail = (await api(t, admin, 'GET', `/conversations/${c.id}`)).json;
      return (detail.messages as Array<{ body: string }>).some((m) => m.body.includes('quand puis-je venir'));
    });
    const autos = mailsTo(from).filter((m) => /^Auto-Submitted:/im.test(m.raw));
    expect(autos).toHaveLength(1);
  });

  it('imports the same mail once when it is delivered twice', async () => {
    const from = sender();
    const raw = await mail({ from, messageId: mid(), text: 'Diese Nachricht kommt zweimal an, bitte nur einmal speichern.' });
    await imap.deliver(raw);
    await imap.deliver(raw);
    const marker = `Marker ${randomBytes(4).toString('hex')} nach der doppelten Nachricht`;
    await imap.deliver(await mail({ from, messageId: mid(), text: marker }));
    const c = await conversationWith('kommt zweimal an');
    await until('the marker in the same conversation', async () => (await api(t, admin, 'GET', `/conversations/${c.id}`)).json.messages.some((m: { body: string }) => m.body.includes(marker)));
    const messages = (await api(t, admin, 'GET', `/conversations/${c.id}`)).json.messages as Array<{ body: string }>;
    expect(messages.filter((m) => m.body.includes('kommt zweimal an'))).toHaveLength(1);
  });

  it('imports the mail that arrived while the IMAP server was away, once it is back', async () => {
    const errorBefore = (await api(t, admin, 'GET', `/channels/${accountId}`)).json.account.lastErrorAt ?? 0;
    await imap.stop();
    const from = sender();
    imap.deliverToMaildir(await mail({ from, messageId: mid(), text: 'Während der Server weg war, kam diese Nachricht an.' }));
    await until('an IMAP error recorded for the account', async () => ((await api(t, admin, 'GET', `/channels/${accountId}`)).json.account.lastErrorAt ?? 0) > errorBefore);
    await imap.start();
    await conversationWith('Während der Server weg war');
  });

  it('keeps a 10 MB mail’s text and only the type and size of its attachments', async () => {
    const from = sender();
    await imap.deliver(
      await mail({
        from,
        messageId: mid(),
        text: 'Anbei meine Dokumente für die Beratung.',
        attachments: [
          { filename: 'pass.pdf', content: randomBytes(6 * 1024 * 1024), contentType: 'application/pdf' },
          { filename: 'foto.jpg', content: randomBytes(4 * 1024 * 1024), contentType: 'image/jpeg' },
        ],
      }),
    );
    const c = await conversationWith('Anbei meine Dokumente');
    const m = c.messages.find((x) => x.body.includes('Anbei meine Dokumente'))!;
    expect(m.attachments?.map((a) => a.type)).toEqual(['document', 'image']);
    expect(m.attachments![0]!.size).toBeGreaterThan(6_000_000);
    // Nothing of the attachments in the database: the stored row is small.
    const row = await t.running.services.db.selectFrom('messages').select(['body', 'attachments']).where('conversation_id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.body.length + (row.attachments ?? '').length).toBeLessThan(5000);
  });

  it('turns an HTML-only mail into safe text', async () => {
    const from = sender();
    await imap.deliver(await mail({ from, messageId: mid(), html: '<p>Hallo <b>Beratung</b>,</p><script>alert(1)</script><p>ich habe eine <i>Frage</i> zur Rückkehr.</p>' }));
    const c = await conversationWith('eine Frage zur Rückkehr');
    const body = c.messages[0]!.body;
    expect(body).toContain('Hallo Beratung,');
    expect(body).not.toMatch(/<|alert/);
  });

  it('answers no auto-reply, bounce or mailing list automatically', async () => {
    const machines = [
      { from: sender(), headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Ich bin im Urlaub bis Montag (automatische Antwort).' },
      { from: sender(), headers: { 'List-Id': '<news.sender.example>' }, text: 'Newsletter der Woche mit vielen Neuigkeiten für alle.' },
      { from: sender(), headers: { Precedence: 'bulk' }, text: 'Massenmail mit Angeboten für alle Empfänger dieser Liste.' },
    ];
    for (const m of machines) await imap.deliver(await mail({ ...m, messageId: mid() }));
    // A bounce with a forged sender names no conversation: not imported at all.
    await imap.deliver(
      Buffer.from(
        ['From: MAILER-DAEMON@mx.sender.example', `To: ${imap.user}`, 'Subject: Undelivered Mail', `Message-ID: ${mid()}`, 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Rückläufer ohne Gespräch', '--b', 'Content-Type: message/delivery-status', '', 'Final-Recipient: rfc822; x@sender.example', 'Action: failed', '--b--', ''].join('\r\n'),
      ),
    );
    // A person after them: once their automatic answer is out, the machines' mails were handled long before.
    const person = sender();
    await imap.deliver(await mail({ from: person, messageId: mid(), text: 'Ich bin ein Mensch und möchte eine Beratung zur Rückkehr.' }));
    await until('the person’s automatic answer', () => mailsTo(person)[0]);
    for (const m of machines) await conversationWith(m.text.slice(0, 20));
    await until('an empty outbox', async () => (await t.running.services.outbox.counts()).pending === 0);
    for (const m of machines) expect(mailsTo(m.from)).toEqual([]);
    expect(smtp.mails.some((m) => m.to.some((to) => to.startsWith('mailer-daemon')))).toBe(false);
  });

  it('keeps a reply in the outbox while the SMTP server is down and sends it when it is back', async () => {
    const from = sender();
    await imap.deliver(await mail({ from, messageId: mid(), text: 'Bitte antworten Sie mir, auch wenn der Mailserver ausfällt.' }));
    const c = await conversationWith('auch wenn der Mailserver');
    await until('the automatic answer', () => mailsTo(from)[0]);
    await smtp.stop();
    expect((await api(t, admin, 'POST', `/conversations/${c.id}/claim`)).status).toBe(200);
    console_.send({ type: 'send', conversationId: c.id, clientId: `reply-${randomBytes(4).toString('hex')}`, body: 'Wir antworten trotzdem.' });
    await until('a failed attempt in the outbox', async () => (await t.running.services.outbox.list('pending')).some((r) => Number(r.attempts) >= 1 && r.last_error !== null));
    await smtp.start();
    await until('the reply after the server came back', () => mailsTo(from).find((m) => m.text.includes('Wir antworten trotzdem')));
  });

  it('forgets a deleted conversation: its queued automatic answer goes, and the same mail read again does not bring it back', async () => {
    await smtp.stop();
    const from = sender();
    const raw = await mail({ from, messageId: mid(), text: 'Bitte löschen Sie diese Unterhaltung später wieder.' });
    await imap.deliver(raw);
    const c = await conversationWith('löschen Sie diese Unterhaltung');
    const { db } = t.running.services;
    const queued = () => db.selectFrom('outbox').select(['id', 'kind']).where('subject', '=', `conversation:${c.id}`).execute();
    await until('the automatic answer waiting in the outbox', async () => (await queued()).some((r) => r.kind === 'email.auto-reply'));
    expect((await api(t, admin, 'DELETE', `/conversations/${c.id}`)).status).toBe(204);
    expect(await queued()).toEqual([]);
    await smtp.start();
    // Delivered again (a copy), then a marker from someone else: the copy opened nothing.
    const conversations = async () => (await db.selectFrom('conversations').select('id').where('channel_account_id', '=', accountId).execute()).length;
    const before = await conversations();
    await imap.deliver(raw);
    await imap.deliver(await mail({ from: sender(), messageId: mid(), text: 'Markierung nach der gelöschten Unterhaltung.' }));
    await conversationWith('Markierung nach der gelöschten');
    expect(await conversations()).toBe(before + 1);
    expect(mailsTo(from)).toEqual([]);
  });

  it('stops reading while the account is paused and reads what arrived once it is resumed', async () => {
    const db = t.running.services.db;
    const holder = async () => (await db.selectFrom('email_mailboxes').select('lease_owner').where('account_id', '=', accountId).executeTakeFirst())?.lease_owner;
    expect((await api(t, admin, 'POST', `/channels/${accountId}/pause`)).status).toBe(200);
    // The reader stopped and gave the mailbox up.
    await until('the reader stopped', async () => !(await holder()));
    const from = sender();
    await imap.deliver(await mail({ from, messageId: mid(), text: 'Diese Nachricht kam während der Pause des Kontos an.' }));
    expect((await api(t, admin, 'POST', `/channels/${accountId}/resume`)).status).toBe(200);
    await conversationWith('während der Pause des Kontos');
  });

  it('lets one process at a time read a mailbox: a lease another process takes only after it ran out', async () => {
    const db = t.running.services.db;
    // The server holds the lease of the active account: a second process cannot take it.
    await until('the server’s lease', async () => (await db.selectFrom('email_mailboxes').select('lease_owner').where('account_id', '=', accountId).executeTakeFirst())?.lease_owner);
    expect(await takeLease(db, accountId, 'another-process', Date.now(), Date.now() + 60_000)).toBe(false);

    // The rules on an account no process reads (paused).
    const sites = await api(t, admin, 'GET', '/sites');
    const siteId = (sites.json.sites as Array<{ id: string; key: string }>).find((x) => x.key === 'demo')!.id;
    const other = await api(t, admin, 'POST', '/channels', { kind: 'email', name: 'Zweites Postfach', siteId, settings: { address: 'zwei@example.org', imapHost: '127.0.0.1', smtpUrl: smtp.url }, secrets: { imapPassword: 'x' } });
    const id = other.json.account.id as string;
    expect((await api(t, admin, 'POST', `/channels/${id}/pause`)).status).toBe(200);
    await until('the paused account released', async () => !(await db.selectFrom('email_mailboxes').select('lease_owner').where('account_id', '=', id).executeTakeFirst())?.lease_owner);
    const now = Date.now();
    expect(await takeLease(db, id, 'a', now, now + 1000)).toBe(true);
    expect(await takeLease(db, id, 'b', now + 10, now + 1010)).toBe(false);
    expect(await takeLease(db, id, 'a', now + 20, now + 1020)).toBe(true);
    // Only the holder moves the cursor.
    expect(await saveCursor(db, id, 'b', { uidValidity: '7', lastUid: 3 }, now)).toBe(false);
    expect(await saveCursor(db, id, 'a', { uidValidity: '7', lastUid: 3 }, now)).toBe(true);
    expect(await loadCursor(db, id)).toEqual({ uidValidity: '7', lastUid: 3 });
    // Ran out (a process that died): the next one takes it; a released lease is free at once.
    expect(await takeLease(db, id, 'b', now + 2000, now + 3000)).toBe(true);
    await releaseLease(db, id, 'b', now + 2100);
    expect(await takeLease(db, id, 'c', now + 2200, now + 3200)).toBe(true);
  });
});
