import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeAdminDto, ReferralDto, VisitorReferralDto } from '@direturn/protocol';
import { agent, api, login, startTestServer, visitor, type AgentClient, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { TestSmtp } from '../test-support/smtp.js';

// Warm referral end to end on the project's database, with a real SMTP server process.

let smtp: TestSmtp;
let t: TestServer;
let admin: string;
let office: OfficeAdminDto;

const SUMMARY = {
  language: 'ar',
  countryOfReturn: 'Irak',
  situation: 'Familie mit zwei Kindern, Duldung',
  needs: 'Reisekosten, Starthilfe',
  discussed: 'Programme StarthilfePlus und REAG/GARP',
};
const PHONE = '+49 170 5550199';

const until = async (check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

beforeAll(async () => {
  smtp = await TestSmtp.start();
  t = await startTestServer({
    env: {
      DIRETURN_EXAMPLE_OFFICES: 'false',
      DIRETURN_SMTP_URL: smtp.url,
      DIRETURN_MAIL_FROM: 'DiReturn <noreply@direturn.example.org>',
      DIRETURN_OUTBOX_RETRY_SECONDS: '0.1',
      DIRETURN_OUTBOX_POLL_SECONDS: '0.05',
      DIRETURN_OUTBOX_MAX_ATTEMPTS: '4',
      // One admin takes every conversation of this file, more than a counsellor's default limit.
      DIRETURN_MAX_PARALLEL: '50',
    },
  });
  admin = await login(t);
  const res = await api(t, admin, 'POST', '/offices', {
    name: 'Rückkehrberatung Mitte',
    organisation: 'Beispiel e. V.',
    carrier: 'non_state',
    email: 'office@example.org',
    areaKeys: ['11'],
  });
  office = res.json.office;
});
afterAll(async () => {
  await t.stop();
  await smtp.stop();
});

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  if (!(smtp as unknown as { server?: unknown }).server) await smtp.start();
});

/** A visitor who wrote, a counsellor (the admin) who took the conversation. */
async function conversation(): Promise<{ v: VisitorClient; visitorId: string; conversationId: string; a: AgentClient }> {
  const { client: v, visitorId } = await visitor(t);
  open.push(v);
  v.send({ type: 'send', clientId: `c-${randomBytes(6).toString('hex')}`, body: 'Ich wohne in 10115 Berlin und möchte zurück.' });
  const ack = await v.next('ack');
  const conversationId = ack.message.conversationId;
  expect((await api(t, admin, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
  const a = await agent(t, admin);
  open.push(a);
  return { v, visitorId, conversationId, a };
}

async function propose(conversationId: string): Promise<ReferralDto> {
  const res = await api(t, admin, 'POST', '/referrals', { conversationId, officeId: office.id, summary: SUMMARY, districtKey: '11000' });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.referral;
}

/** The visitor's next referrals frame in which this referral has `status`. */
async function visitorSees(v: VisitorClient, id: string, status: string): Promise<VisitorReferralDto> {
  const frame = await v.next('referrals', (f) => f.referrals.some((r) => r.id === id && r.status === status), 8000);
  return frame.referrals.find((r) => r.id === id)!;
}

const linkIn = (text: string): string => {
  const m = /(http:\/\/localhost:\d+\/referral\/[A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no link in: ${text}`);
  return m[1]!;
};
const formToken = (html: string): string => /name="form" value="([^"]+)"/.exec(html)![1]!;

async function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
}

const row = (id: string) => t.running.services.db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const outboxRows = () => t.running.services.db.selectFrom('outbox').selectAll().execute();

describe('warm referral', () => {
  it('goes from the counsellor through the consent to the office, whose link confirms and reports, and everyone sees it', async () => {
    const { v, a, conversationId } = await conversation();
    const mailsBefore = smtp.mails.length;
    const proposed = await propose(conversationId);
    expect(proposed).toMatchObject({ status: 'proposed', summary: SUMMARY, office: { id: office.id }, contactKind: null, needsAction: false });

    // The visitor sees exactly what would be shared, with which office.
    const seen = await visitorSees(v, proposed.id, 'proposed');
    expect(seen).toMatchObject({ summary: SUMMARY, office: { name: 'Rückkehrberatung Mitte', email: 'office@example.org' }, canWithdraw: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(mailsBefore); // nothing sent without consent
    expect(await outboxRows()).toEqual([]);

    v.send({ type: 'referral', referralId: proposed.id, answer: 'consent', contact: { kind: 'phone', value: PHONE }, includeTranscript: true });
    expect((await visitorSees(v, proposed.id, 'sent')).canWithdraw).toBe(true);
    const mail = await smtp.waitFor(mailsBefore + 1);
    expect(mail.to).toEqual(['office@example.org']);
    expect(mail.subject).toBe('Neue Weiterleitung zur Rückkehrberatung über DiReturn (Sprache: Arabisch)');
    expect(mail.text).toContain('„Rückkehrberatung Mitte“');
    // The mail carries the link, nothing personal.
    for (const secret of [PHONE, SUMMARY.situation, SUMMARY.countryOfReturn, 'Berlin']) expect(mail.raw).not.toContain(secret);
    const link = linkIn(mail.text);

    // Stored sealed; the link only as a hash once it is mailed.
    const stored = await row(proposed.id);
    expect(stored.contact).toMatch(/^enc1\./);
    expect(stored.summary).toMatch(/^enc1\./);
    expect(stored.link_token).toBeNull();
    expect(JSON.stringify(stored)).not.toContain(link.split('/').pop());

    // The office: first only a confirmation (mail scanners that GET change nothing).
    const first = await fetch(link);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(first.headers.get('cache-control')).toBe('no-store');
    const confirmHtml = await first.text();
    expect(confirmHtml).toContain('Eingang bestätigen');
    expect(confirmHtml).not.toContain(PHONE);
    expect(confirmHtml).not.toContain(SUMMARY.situation);
    expect((await row(proposed.id)).status).toBe('sent');

    const confirmed = await post(`${link}/confirm`, { form: formToken(confirmHtml) });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(new URL(link).pathname);
    const openHtml = await (await fetch(link)).text();
    expect(openHtml).toContain(SUMMARY.situation);
    expect(openHtml).toContain(PHONE);
    expect(openHtml).toContain('Ich wohne in 10115 Berlin'); // the transcript the visitor chose to include
    const received = await visitorSees(v, proposed.id, 'received');
    expect(received.canWithdraw).toBe(false);
    await a.next('referral', (f) => f.referral.id === proposed.id && f.referral.status === 'received');

    // Too late to withdraw.
    v.send({ type: 'referral', referralId: proposed.id, answer: 'withdraw' });
    expect((await v.next('error')).code).toBe('bad_request');

    const form = formToken(openHtml);
    expect((await post(`${link}/outcome`, { form, outcome: 'appointment' })).status).toBe(303);
    await visitorSees(v, proposed.id, 'appointment');
    expect((await post(`${link}/outcome`, { form, outcome: 'not_responsible' })).status).toBe(303);
    const back = await a.next('referral', (f) => f.referral.id === proposed.id && f.referral.status === 'not_responsible');
    expect(back.referral.needsAction).toBe(true);
    expect(back.referral.events.map((e) => `${e.by}:${e.status}`)).toEqual([
      'agent:proposed',
      'visitor:consented',
      'system:sent',
      'office:received',
      'office:appointment',
      'office:not_responsible',
    ]);
    const action = await api(t, admin, 'GET', '/referrals?filter=action');
    expect(action.json.referrals.map((r: ReferralDto) => r.id)).toContain(proposed.id);
    // Finished: the link shows no data any more.
    const finished = await (await fetch(link)).text();
    expect(finished).toContain('abgeschlossen');
    expect(finished).not.toContain(PHONE);

    // Counted without personal data: by month, office, district, state, status.
    const stats = await api(t, admin, 'GET', '/referrals/stats');
    expect(stats.json.rows).toContainEqual(
      expect.objectContaining({ officeId: office.id, districtKey: '11000', stateKey: '11', status: 'not_responsible', count: 1, month: new Date().toISOString().slice(0, 7) }),
    );
  });

  it('refuses forged, expired and cross-site uses of the office link, revealing nothing', async () => {
    const { v, conversationId } = await conversation();
    const r = await propose(conversationId);
    const n = smtp.mails.length;
    v.send({ type: 'referral', referralId: r.id, answer: 'consent' });
    const link = linkIn((await smtp.waitFor(n + 1)).text);
    const html = await (await fetch(link)).text();
    const form = formToken(html);

    const forged = await fetch(`${new URL(link).origin}/referral/${randomBytes(32).toString('base64url')}`);
    expect(forged.status).toBe(404);
    const forgedBody = await forged.text();
    expect(forgedBody).toContain('ungültig oder abgelaufen');
    expect((await fetch(`${new URL(link).origin}/referral/short`)).status).toBe(404);

    expect((await post(`${link}/confirm`, { form: randomBytes(32).toString('base64url') })).status).toBe(404); // wrong form token
    expect((await post(`${link}/confirm`, { form }, { origin: 'https://evil.example' })).status).toBe(404); // another site's page
    expect((await row(r.id)).status).toBe('sent');

    await t.running.services.db.updateTable('referrals').set({ link_expires_at: Date.now() - 1 }).where('id', '=', r.id).execute();
    const expired = await fetch(link);
    expect(expired.status).toBe(404);
    expect(await expired.text()).toBe(forgedBody); // expired and forged look the same
    expect((await post(`${link}/confirm`, { form })).status).toBe(404);
    expect((await row(r.id)).status).toBe('sent');
  });

  it('sends nothing when the visitor declines, and nothing more once consent is withdrawn', async () => {
    const { v, conversationId } = await conversation();
    const n = smtp.mails.length;
    const declined = await propose(conversationId);
    await visitorSees(v, declined.id, 'proposed');
    v.send({ type: 'referral', referralId: declined.id, answer: 'decline' });
    await visitorSees(v, declined.id, 'declined');

    // Withdrawn while the mail server is down: the queued mail is dropped.
    await smtp.stop();
    const queued = await propose(conversationId);
    v.send({ type: 'referral', referralId: queued.id, answer: 'consent', contact: { kind: 'email', value: 'me@example.net' } });
    await visitorSees(v, queued.id, 'consented');
    await until(async () => (await outboxRows()).some((o) => o.attempts >= 1));
    v.send({ type: 'referral', referralId: queued.id, answer: 'withdraw' });
    await visitorSees(v, queued.id, 'withdrawn');
    expect(await outboxRows()).toEqual([]);
    expect((await row(queued.id)).contact).toBeNull();
    await smtp.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.length).toBe(n);

    // Withdrawn after the mail went out, before the office opened it: the link shows nothing.
    const sent = await propose(conversationId);
    v.send({ type: 'referral', referralId: sent.id, answer: 'consent', contact: { kind: 'phone', value: PHONE } });
    const link = linkIn((await smtp.waitFor(n + 1)).text);
    await visitorSees(v, sent.id, 'sent');
    v.send({ type: 'referral', referralId: sent.id, answer: 'withdraw' });
    await visitorSees(v, sent.id, 'withdrawn');
    const page = await (await fetch(link)).text();
    expect(page).toContain('Zustimmung zurückgezogen');
    expect(page).not.toContain(PHONE);
    expect(page).not.toContain('Eingang bestätigen');
    expect((await row(sent.id)).contact).toBeNull();

    // Another visitor cannot answer someone else's referral.
    const other = await visitor(t);
    open.push(other.client);
    const foreign = await propose(conversationId);
    other.client.send({ type: 'referral', referralId: foreign.id, answer: 'consent' });
    expect((await other.client.next('error')).code).toBe('not_found');
    expect((await row(foreign.id)).status).toBe('proposed');
  });

  it('retries the mail while the SMTP server is down, and shows the counsellor a mail that failed for good', async () => {
    const { v, a, conversationId } = await conversation();
    const n = smtp.mails.length;
    await smtp.stop();
    const r = await propose(conversationId);
    v.send({ type: 'referral', referralId: r.id, answer: 'consent' });
    await until(async () => (await outboxRows()).some((o) => o.attempts >= 2));
    expect((await row(r.id)).status).toBe('consented');
    await smtp.start();
    const mail = await smtp.waitFor(n + 1);
    expect(mail.text).toContain('/referral/');
    await visitorSees(v, r.id, 'sent');

    // Down for longer than the attempts last: failed, visible, and sent after a retry.
    await smtp.stop();
    const doomed = await propose(conversationId);
    v.send({ type: 'referral', referralId: doomed.id, answer: 'consent' });
    const failed = await a.next('referral', (f) => f.referral.id === doomed.id && f.referral.status === 'failed', 15_000);
    expect(failed.referral.needsAction).toBe(true);
    const entries = (await api(t, admin, 'GET', '/outbox?status=failed')).json.entries;
    expect(entries).toMatchObject([{ kind: 'referral.mail', subject: `referral:${doomed.id}`, attempts: 4 }]);
    expect(entries[0].lastError).toMatch(/ECONNREFUSED/);
    await smtp.start();
    expect((await api(t, admin, 'POST', `/referrals/${doomed.id}/retry`)).json.referral.status).toBe('consented');
    await smtp.waitFor(n + 2);
    await a.next('referral', (f) => f.referral.id === doomed.id && f.referral.status === 'sent');
  });

  it('keeps the queued mail across a restart of DiReturn', async () => {
    const { v, conversationId } = await conversation();
    const n = smtp.mails.length;
    await smtp.stop();
    const r = await propose(conversationId);
    v.send({ type: 'referral', referralId: r.id, answer: 'consent' });
    await visitorSees(v, r.id, 'consented');
    await Promise.all(open.splice(0).map((c) => c.close()));
    await t.restart();
    admin = await login(t);
    await smtp.start();
    await smtp.waitFor(n + 1);
    await until(async () => (await row(r.id)).status === 'sent');
  });

  it('deletes referrals with the conversation, and refuses referrals by counsellors who have not taken it', async () => {
    const { v, conversationId } = await conversation();
    const r = await propose(conversationId);
    await api(t, admin, 'POST', '/agents', { email: 'other@example.org', name: 'Other', password: 'a long enough password', role: 'counsellor' });
    const other = await login(t, 'other@example.org', 'a long enough password');
    const refused = await api(t, other, 'POST', '/referrals', { conversationId, officeId: office.id, summary: SUMMARY });
    expect(refused.status).toBe(403);
    expect((await api(t, other, 'GET', `/referrals/${r.id}`)).status).toBe(404);
    const bad = await api(t, admin, 'POST', '/referrals', { conversationId, officeId: office.id, summary: { ...SUMMARY, situation: '' } });
    expect(bad.status).toBe(400);

    v.send({ type: 'referral', referralId: r.id, answer: 'consent', contact: { kind: 'phone', value: PHONE } });
    await visitorSees(v, r.id, 'sent');
    v.send({ type: 'delete' });
    await v.next('deleted');
    await until(async () => (await t.running.services.db.selectFrom('referrals').select('id').where('id', '=', r.id).execute()).length === 0);
    expect(await t.running.services.db.selectFrom('referral_events').select('id').where('referral_id', '=', r.id).execute()).toEqual([]);
    // The counts stay: they name no one.
    expect((await api(t, admin, 'GET', '/referrals/stats')).json.rows.length).toBeGreaterThan(0);
  });
});
