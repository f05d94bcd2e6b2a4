import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESUME_CODE_ALPHABET } from '@direturn/protocol';
import { api, FrameClient, login, startTestServer, visitor, wsUrl, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { RateLimitedError } from '../shared/errors.js';

// Resume codes on the project's database: issue, use on another device, renewal, the limits per
// client and per code, deletion with the visitor and the conversation, and what is stored.

let t: TestServer;
let admin: string;

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t);
}, 60_000);
afterAll(async () => {
  await t.stop();
});

const codeRow = (visitorId: string) => t.running.services.db.selectFrom('visitor_resume_codes').selectAll().where('visitor_id', '=', visitorId).executeTakeFirst();

/** A visitor who wrote once, and a resume code for them. */
async function visitorWithCode(body = 'Hallo von meinem Handy') {
  const v = await visitor(t);
  v.client.send({ type: 'send', clientId: `c-${Math.random().toString(36).slice(2, 12)}`, body });
  const ack = await v.client.next('ack');
  v.client.send({ type: 'resume-code' });
  const { code, createdAt } = await v.client.next('resume-code');
  return { ...v, code, createdAt, conversationId: ack.message.conversationId as string };
}

/** Another device: a fresh socket whose hello carries the code as typed. */
async function helloWith(resume: string, extra: Record<string, unknown> = {}): Promise<VisitorClient> {
  const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
  client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'ar', resume, ...extra });
  return client;
}

/** The i-th of a series of codes with distinct selectors (each counts once per code). */
const guess = (prefix: string, i: number) => `${prefix}${RESUME_CODE_ALPHABET[i % 31]}${RESUME_CODE_ALPHABET[Math.floor(i / 31) % 31]}ZZZZZZZZ`;

/** A code that is not `code` but has the same first four characters (the same selector). */
const sameSelector = (code: string) => code.slice(0, 4) + [...code.slice(4)].map((c) => RESUME_CODE_ALPHABET[(RESUME_CODE_ALPHABET.indexOf(c) + 1) % RESUME_CODE_ALPHABET.length]).join('');

describe('issue and use', () => {
  it('continues the conversation on a second device, which gets a new token; the first device is signed out', async () => {
    const first = await visitorWithCode();
    expect(first.code).toMatch(new RegExp(`^[${RESUME_CODE_ALPHABET}]{12}$`));
    // Only the selector and a keyed hash are stored.
    const row = await codeRow(first.visitorId);
    expect(row?.selector).toBe(first.code.slice(0, 4));
    expect(row?.verifier_hash).not.toContain(first.code.slice(4));

    const typed = `${first.code.slice(0, 4).toLowerCase()} ${first.code.slice(4, 8)}-${first.code.slice(8)}`;
    const second = await helloWith(typed);
    const welcome = await second.next('welcome');
    expect(welcome.visitorId).toBe(first.visitorId);
    expect(welcome.conversation?.id).toBe(first.conversationId);
    expect(welcome.messages.map((m) => m.body)).toEqual(['Hallo von meinem Handy']);
    expect(welcome.token).not.toBe(first.token);
    // The language of the new device is the conversation's now.
    expect(welcome.conversation?.language).toBe('ar');

    // The first device is told and closed; its token opens nothing any more.
    await first.client.next('resumed-elsewhere');
    expect((await first.client.closed).code).toBe(4409);
    const again = await visitor(t, { token: first.token });
    expect(again.visitorId).not.toBe(first.visitorId);
    again.client.close();

    // The new device writes into the same conversation.
    second.send({ type: 'send', clientId: 'c-second-device', body: 'Jetzt vom Bibliotheksrechner' });
    expect((await second.next('ack')).message.conversationId).toBe(first.conversationId);
    // The code keeps working until it is renewed (a browser without storage needs it at every visit).
    const third = await helloWith(first.code);
    expect((await third.next('welcome')).visitorId).toBe(first.visitorId);
    await second.next('resumed-elsewhere');
    third.close();
  });

  it('renewal: the old code stops working, the new one works', async () => {
    const v = await visitorWithCode();
    v.client.send({ type: 'resume-code' });
    const renewed = await v.client.next('resume-code');
    expect(renewed.code).not.toBe(v.code);
    const withOld = await helloWith(v.code);
    expect((await withOld.next('error')).code).toBe('resume_invalid');
    // The hello goes on as a new visitor: nothing of the conversation is shown.
    const fresh = await withOld.next('welcome');
    expect(fresh.visitorId).not.toBe(v.visitorId);
    expect(fresh.conversation).toBeNull();
    withOld.close();
    const withNew = await helloWith(renewed.code);
    expect((await withNew.next('welcome')).visitorId).toBe(v.visitorId);
    withNew.close();
  });

  it("refuses a code on another site, and a code that is no code, without saying which part was wrong", async () => {
    const v = await visitorWithCode();
    const { resumeCodes } = t.running.services;
    await expect(resumeCodes.use('another-site-id', v.code, 'client-site')).rejects.toMatchObject({ code: 'resume_invalid' });
    await expect(resumeCodes.use('x', 'not a code', 'client-site')).rejects.toMatchObject({ code: 'resume_invalid' });
    await expect(resumeCodes.use('x', sameSelector(v.code), 'client-site')).rejects.toMatchObject({ code: 'resume_invalid', message: 'This resume code does not open a conversation here.' });
    v.client.close();
  });
});

describe('brute-force limits', () => {
  it('delays a client after 10 wrong codes, over the socket too', async () => {
    const { resumeCodes } = t.running.services;
    for (let i = 0; i < 10; i++) await expect(resumeCodes.use('x', guess('ZZ', i), 'client-a')).rejects.toMatchObject({ code: 'resume_invalid' });
    await expect(resumeCodes.use('x', guess('ZZ', 10), 'client-a')).rejects.toBeInstanceOf(RateLimitedError);
    // Another client is not affected.
    await expect(resumeCodes.use('x', guess('YY', 0), 'client-b')).rejects.toMatchObject({ code: 'resume_invalid' });

    // Over the socket: every connection of this test comes from 127.0.0.1 (one client key).
    let limited: { code: string; retryAfterMs?: number } | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const c = await helloWith(guess('WW', i));
      const err = await c.next('error');
      if (err.code === 'rate_limited') limited = err;
      else expect(err.code).toBe('resume_invalid');
      c.close();
    }
    expect(limited?.retryAfterMs).toBeGreaterThan(0);
  });

  it('delays one code after 5 wrong tries from any clients, even for its right value', async () => {
    const v = await visitorWithCode();
    const { resumeCodes } = t.running.services;
    const wrong = sameSelector(v.code);
    for (let i = 0; i < 5; i++) await expect(resumeCodes.use('x', wrong, `spray-${i}`)).rejects.toMatchObject({ code: 'resume_invalid' });
    const err = await resumeCodes.use('x', v.code, 'spray-right').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    v.client.close();
  });

  it('counts parallel guesses before checking them', async () => {
    const { resumeCodes } = t.running.services;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => resumeCodes.use('x', guess('QQ', i), 'client-parallel')));
    const limited = results.filter((r) => r.status === 'rejected' && r.reason instanceof RateLimitedError).length;
    expect(limited).toBe(10);
  });
});

describe('deletion', () => {
  it('goes with the visitor ("delete my data")', async () => {
    const v = await visitorWithCode();
    expect(await codeRow(v.visitorId)).toBeDefined();
    v.client.send({ type: 'delete' });
    await v.client.next('deleted');
    expect(await codeRow(v.visitorId)).toBeUndefined();
  });

  it('goes with the conversation (an admin deletes it; retention does the same)', async () => {
    const v = await visitorWithCode();
    expect((await api(t, admin, 'DELETE', `/conversations/${v.conversationId}`)).status).toBe(204);
    expect(await codeRow(v.visitorId)).toBeUndefined();
    // (A fresh client key: this process's socket tests used up 127.0.0.1's attempts.)
    const demo = (await t.running.services.sites.list()).find((s) => s.key === 'demo')!;
    await expect(t.running.services.resumeCodes.use(demo.id, v.code, 'client-deletion')).rejects.toMatchObject({ code: 'resume_invalid' });
    v.client.close();
  });
});
