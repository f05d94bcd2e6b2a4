import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agent, api, login, startTestServer, visitor, type AgentClient, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { TestSmtp } from '../test-support/smtp.js';

// Reply notices by e-mail on the project's database, with a real SMTP server process: the mail
// comes once per waiting period after the delay, carries nothing of the conversation, and stops
// when the visitor reads, removes the address (widget or link) or the conversation ends.

const DELAY_MS = 600;
const ADDRESS = 'amal.k@example.org';
const REPLY = 'Guten Tag, wir können über StarthilfePlus sprechen.';
let smtp: TestSmtp;
let t: TestServer;
let admin: string;
const logs: string[] = [];

const until = async (check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clientId = () => `c-${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  smtp = await TestSmtp.start();
  t = await startTestServer({
    logs,
    env: {
      DIRETURN_SMTP_URL: smtp.url,
      DIRETURN_MAIL_FROM: 'DiReturn <noreply@direturn.example.org>',
      DIRETURN_REPLY_NOTICE_DELAY_MINUTES: String(DELAY_MS / 60_000),
      DIRETURN_OUTBOX_RETRY_SECONDS: '0.2',
      DIRETURN_OUTBOX_POLL_SECONDS: '0.05',
      DIRETURN_OUTBOX_MAX_ATTEMPTS: '6',
    },
  });
  admin = await login(t);
});
afterAll(async () => {
  await t.stop();
  await smtp.stop();
});

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  if (!(smtp as unknown as { server?: unknown }).server) await smtp.start();
  smtp.mails.length = 0;
});

/** A visitor who wrote (from a page with a query string), a counsellor who took the conversation, notices on. */
async function conversation(opts: { optIn?: boolean } = {}): Promise<{ v: VisitorClient; conversationId: string; a: AgentClient }> {
  const { client: v } = await visitor(t, { pageUrl: `${t.origin}/beratung/rueckkehr?ref=geheim#x` });
  open.push(v);
  expect(await v.next('reply-notice')).toEqual({ type: 'reply-notice', on: false, since: null });
  v.send({ type: 'send', clientId: clientId(), body: 'Ich möchte zurück in den Irak.' });
  const conversationId = (await v.next('ack')).message.conversationId;
  expect((await api(t, admin, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
  const a = await agent(t, admin);
  open.push(a);
  if (opts.optIn !== false) {
    v.send({ type: 'reply-notice-on', email: ` ${ADDRESS} `, consent: true });
    expect(await v.next('reply-notice')).toMatchObject({ type: 'reply-notice', on: true });
  }
  return { v, conversationId, a };
}

async function reply(a: AgentClient, conversationId: string, body = REPLY): Promise<number> {
  const id = clientId();
  a.send({ type: 'send', conversationId, clientId: id, body });
  return (await a.next('ack', (f) => f.clientId === id)).message.seq;
}

const noticeRows = (conversationId: string) => t.running.services.db.selectFrom('reply_notices').selectAll().where('conversation_id', '=', conversationId).execute();
const removalLink = (text: string) => /https?:\/\/\S+\/reply-notice\/\S+/.exec(text)?.[0];

describe('reply notices', () => {
  it('sends exactly one mail after the delay: nothing of the conversation, a way back, a working removal link', async () => {
    const { conversationId, a } = await conversation();
    const [row] = await noticeRows(conversationId);
    expect(row!.email).not.toContain('amal'); // sealed
    // The counsellor sees that notices are on, never the address.
    const seen = await api(t, admin, 'GET', `/conversations/${conversationId}`);
    expect(seen.json.conversation.replyNotice).toBe(true);
    expect(JSON.stringify(seen.json)).not.toContain('amal');
    const sentAt = Date.now();
    await reply(a, conversationId);
    const mail = await smtp.waitFor(1);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(DELAY_MS - 50);
    expect(mail.to).toEqual([ADDRESS]);
    expect(mail.subject).toBe('Eine Antwort wartet auf Sie');
    expect(mail.raw).toMatch(/^Auto-Submitted: auto-generated/im);
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
    expect(mail.text).not.toContain('StarthilfePlus');
    expect(mail.text).not.toContain('Irak');
    expect(mail.text).not.toMatch(/admin|Admin/);
    expect(mail.text).toContain(`${t.origin}/beratung/rueckkehr\n`);
    expect(mail.text).not.toContain('geheim');

    // A second reply while the first is unread: no second mail.
    await reply(a, conversationId, 'Haben Sie meine Nachricht gesehen?');
    await sleep(DELAY_MS + 600);
    expect(smtp.mails).toHaveLength(1);
    expect(await t.running.services.outbox.counts()).toEqual({ pending: 0, failed: 0 });

    // The link: GET only shows a button (mail scanners follow links), POST removes.
    const link = removalLink(mail.text)!;
    expect(link.startsWith(t.url) || link.startsWith(t.origin)).toBe(true);
    const path = new URL(link).pathname + new URL(link).search;
    const page = await fetch(`${t.url}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Meine Adresse löschen');
    expect(await noticeRows(conversationId)).toHaveLength(1);
    const removed = await fetch(`${t.url}${path}`, { method: 'POST' });
    expect(await removed.text()).toContain('Erledigt.');
    expect(await noticeRows(conversationId)).toHaveLength(0);
    expect(logs.join('\n')).not.toContain(ADDRESS);
  });

  it('after the visitor read the reply, the next reply gets a mail again; read before the delay, none', async () => {
    const { v, conversationId, a } = await conversation();
    const seq = await reply(a, conversationId);
    v.send({ type: 'read', seq });
    await sleep(DELAY_MS + 600);
    expect(smtp.mails).toHaveLength(0);

    // A new reply after the visitor came back: a new waiting period, one mail.
    await reply(a, conversationId, 'Noch eine Frage an Sie.');
    await smtp.waitFor(1);
    // Writing back ends the period too.
    v.send({ type: 'send', clientId: clientId(), body: 'Danke!' });
    await v.next('ack');
    await reply(a, conversationId, 'Gern.');
    await smtp.waitFor(2);
    await sleep(300);
    expect(smtp.mails).toHaveLength(2);
  });

  it('removed in the widget before the delay: no mail, and the state says off', async () => {
    const { v, conversationId, a } = await conversation();
    await reply(a, conversationId);
    v.send({ type: 'reply-notice-off' });
    expect(await v.next('reply-notice', (f) => !f.on)).toEqual({ type: 'reply-notice', on: false, since: null });
    expect(await noticeRows(conversationId)).toHaveLength(0);
    await sleep(DELAY_MS + 600);
    expect(smtp.mails).toHaveLength(0);
    expect(await t.running.services.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('removed by the link before the delay: no mail; a closed conversation gets none either', async () => {
    const { conversationId, a } = await conversation();
    const [row] = await noticeRows(conversationId);
    await reply(a, conversationId);
    const link = new URL(t.running.services.replyNotices.removalLink(row!.id, 'ar'));
    const res = await fetch(`${t.url}${link.pathname}${link.search}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(await res.text()).toContain('lang="ar" dir="rtl"');
    expect(await noticeRows(conversationId)).toHaveLength(0);

    const second = await conversation();
    await reply(second.a, second.conversationId);
    expect((await api(t, admin, 'POST', `/conversations/${second.conversationId}/close`)).status).toBe(200);
    await sleep(DELAY_MS + 600);
    expect(smtp.mails).toHaveLength(0);
  });

  it('a forged or wrong link reveals nothing and removes nothing', async () => {
    const { conversationId } = await conversation();
    const [row] = await noticeRows(conversationId);
    const genuine = new URL(t.running.services.replyNotices.removalLink(row!.id, 'de'));
    const forged = [
      `/reply-notice/${row!.id}/${'A'.repeat(43)}`,
      `/reply-notice/${crypto.randomUUID()}/${genuine.pathname.split('/').pop()}`,
      `/reply-notice/not-an-id/xyz`,
    ];
    const pages = new Set<string>();
    for (const path of forged) {
      const res = await fetch(`${t.url}${path}`, { method: 'POST' });
      expect(res.status).toBe(200);
      pages.add(await res.text());
    }
    // Every answer is the one a genuine link gets (the action differs by the path only).
    const real = await (await fetch(`${t.url}${genuine.pathname}`, { method: 'POST' })).text();
    expect([...pages].map((p) => p.replace(/action="[^"]*"/, ''))).toEqual([real.replace(/action="[^"]*"/, '')]);
    expect(await noticeRows(conversationId)).toHaveLength(0); // the genuine one removed it, the forged ones did not
  });

  it('a bad address or no consent: a clear error, nothing stored; the address can be changed', async () => {
    const { v, conversationId } = await conversation({ optIn: false });
    v.send({ type: 'reply-notice-on', email: 'amal@localhost', consent: false });
    expect(await v.next('error')).toMatchObject({ code: 'reply_notice_invalid', ref: 'reply-notice', issues: ['email: email_invalid', 'consent: consent_required'] });
    v.send({ type: 'reply-notice-on', email: 'x'.repeat(600), consent: true });
    expect(await v.next('error')).toMatchObject({ code: 'bad_request' });
    expect(await noticeRows(conversationId)).toHaveLength(0);
    v.send({ type: 'reply-notice-on', email: 'first@example.org', consent: true });
    const on = await v.next('reply-notice');
    v.send({ type: 'reply-notice-on', email: ADDRESS, consent: true });
    expect(await v.next('reply-notice')).toEqual(on); // the same notice, since when it was first on
    const rows = await noticeRows(conversationId);
    expect(rows).toHaveLength(1);
    expect(t.running.services.keyring.open(rows[0]!.email, `reply-notice-address:${rows[0]!.id}`)).toBe(ADDRESS);
  });

  it('goes with the conversation when the visitor deletes their data', async () => {
    const { v, conversationId, a } = await conversation();
    await reply(a, conversationId);
    v.send({ type: 'delete' });
    await v.next('deleted');
    expect(await noticeRows(conversationId)).toHaveLength(0);
    expect(await t.running.services.outbox.counts()).toEqual({ pending: 0, failed: 0 });
  });

  it('an SMTP outage is retried from the outbox, also across a restart', async () => {
    const { conversationId, a } = await conversation();
    await smtp.stop();
    await reply(a, conversationId);
    await until(async () => ((await t.running.services.db.selectFrom('outbox').select('attempts').where('kind', '=', 'reply-notice.mail').executeTakeFirst())?.attempts ?? 0) >= 1);
    await Promise.all(open.splice(0).map((c) => c.close()));
    await t.restart();
    await smtp.start();
    const mail = await smtp.waitFor(1);
    expect(mail.to).toEqual([ADDRESS]);
    await sleep(300);
    expect(smtp.mails).toHaveLength(1);
    admin = await login(t);
  });
});

describe('reply notices without mail', () => {
  it('are not offered, and turning them on is refused', async () => {
    const plain = await startTestServer();
    try {
      const { client: v } = await visitor(plain);
      v.send({ type: 'send', clientId: clientId(), body: 'Hallo' });
      await v.next('ack');
      v.send({ type: 'reply-notice-on', email: ADDRESS, consent: true });
      expect(await v.next('error')).toMatchObject({ code: 'reply_notice_unavailable', ref: 'reply-notice' });
      expect(v.frames.some((f) => f.type === 'reply-notice')).toBe(false);
      await v.close();
    } finally {
      await plain.stop();
    }
  });
});
