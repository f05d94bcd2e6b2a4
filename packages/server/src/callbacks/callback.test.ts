import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackDto, VisitorCallbackDto } from '@direturn/protocol';
import { agent, api, login, startTestServer, visitor, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { recoverable } from '../test-support/raw-files.js';
import { TEST_DATABASE } from '../test-support/databases.js';
import { Keyring } from '../security/keyring.js';
import { reencryptAll } from '../security/rotate.js';

// Callback requests on the project's database (the config runs this file on SQLite and PostgreSQL).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NUMBER = '0170 5550199';
const E164 = '+491705550199';
const COUNSELLOR = { email: 'rania@example.org', name: 'Rania', password: 'a long counsellor password 7', role: 'counsellor', languages: ['ar', 'de'] };

let t: TestServer;
const logs: string[] = [];
let admin: string;
let counsellor: string;

beforeAll(async () => {
  // Every request of this file comes from one address: its limit is tested apart from the visitor's.
  t = await startTestServer({ env: { DIRETURN_CALLBACK_RETENTION_DAYS: '14', DIRETURN_CALLBACK_REQUESTS_PER_HOUR: '1000' }, logs });
  admin = await login(t);
  expect((await api(t, admin, 'POST', '/agents', COUNSELLOR)).status).toBe(201);
  counsellor = await login(t, COUNSELLOR.email, COUNSELLOR.password);
});
afterAll(async () => {
  await t.stop();
});
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const iso = (ms: number) => new Date(ms).toISOString();
const requestId = () => `cb-${randomBytes(6).toString('hex')}`;
function frame(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    type: 'callback',
    requestId: requestId(),
    phone: { country: 'DE', number: NUMBER },
    language: 'ar',
    windows: [{ start: iso(now + HOUR), end: iso(now + 3 * HOUR) }],
    timeZone: 'Asia/Damascus',
    topic: 'Rückreise nach Aleppo',
    consent: true,
    ...over,
  };
}

async function newVisitor(hello: Record<string, unknown> = {}): Promise<{ v: VisitorClient; visitorId: string; token: string }> {
  const { client, visitorId, token } = await visitor(t, { language: 'ar', ...hello });
  open.push(client);
  return { v: client, visitorId, token };
}

/** A visitor's request, answered with their callback list. */
async function ask(v: VisitorClient, over: Record<string, unknown> = {}): Promise<VisitorCallbackDto> {
  const sent = Date.now();
  const f = frame(over);
  v.send(f);
  // The answer (the bus may deliver the list again, and earlier lists may still be buffered).
  const answer = await v.next('callbacks', (a) => a.callbacks[0]?.status === 'waiting' && a.callbacks[0].createdAt >= sent);
  return answer.callbacks[0]!;
}

const row = (id: string) => t.running.services.db.selectFrom('callbacks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const countCallbacks = async () => Number((await t.running.services.db.selectFrom('callbacks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const systemBodies = async (conversationId: string) =>
  (await api(t, admin, 'GET', `/conversations/${conversationId}`)).json.messages.filter((m: { author: string }) => m.author === 'system').map((m: { body: string }) => m.body);

describe('a visitor asks for a call back', () => {
  it('without a conversation: one is started with "callback requested", the number sealed, the console told without it', async () => {
    const console = await agent(t, counsellor);
    open.push(console);
    const { v, visitorId, token } = await newVisitor();
    const requested = await ask(v);
    expect(requested).toMatchObject({ status: 'waiting', outcome: null, language: 'ar', timeZone: 'Asia/Damascus', handledAt: null, attempts: 0 });
    expect(requested.windows).toHaveLength(1);
    // The system message arrives over the socket like any message, without the number.
    const system = await v.next('message', (f) => f.message.author === 'system');
    expect(system.message.body).toBe('callback_requested');

    const stored = await row(requested.id);
    expect(stored.phone).toMatch(/^enc1\./);
    expect(stored.topic).toMatch(/^enc1\./);
    expect(JSON.stringify(stored)).not.toContain('5550199');
    const conversation = await t.running.services.db.selectFrom('conversations').selectAll().where('id', '=', stored.conversation_id).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ visitor_id: visitorId, status: 'waiting' });

    // Every console hears of it; no number, no note in the frame or the list.
    const pushed = await console.next('callback', (f) => f.callback.id === requested.id);
    expect(pushed.callback).toMatchObject({ status: 'waiting', language: 'ar', topic: 'Rückreise nach Aleppo', phone: null, phoneDisplay: null, conversationId: stored.conversation_id });
    const list = (await api(t, counsellor, 'GET', '/callbacks')).json.callbacks as CallbackDto[];
    expect(list.find((c) => c.id === requested.id)).toMatchObject({ phone: null, status: 'waiting' });
    expect(JSON.stringify(list)).not.toContain('5550199');
    expect(await systemBodies(stored.conversation_id)).toEqual(['callback_requested']);

    // A reload: the welcome is followed by the request's state.
    const again = await newVisitor({ token });
    expect((await again.v.next('callbacks')).callbacks).toEqual([requested]);
  });

  it('in an existing conversation: the request belongs to it', async () => {
    const { v } = await newVisitor();
    v.send({ type: 'send', clientId: requestId(), body: 'مرحبا' });
    const conversationId = (await v.next('ack')).message.conversationId;
    const requested = await ask(v);
    expect((await row(requested.id)).conversation_id).toBe(conversationId);
  });

  it('refuses bad numbers, windows in the past or too far, missing consent: every field named, nothing stored', async () => {
    const { v, visitorId } = await newVisitor();
    const before = await countCallbacks();
    const now = Date.now();
    for (const [over, issues] of [
      [{ phone: { country: 'DE', number: 'call me maybe' } }, ['phone: phone_invalid']],
      // Long enough for the widget's length check (min metadata), not a number that exists (max, here).
      [{ phone: { country: 'DE', number: '0170 555' } }, ['phone: phone_invalid']],
      [{ phone: { country: '', number: '0944 123 456' } }, ['phone: phone_country_required']],
      [{ windows: [{ start: iso(now - 3 * HOUR), end: iso(now - HOUR) }] }, ['windows.0: window_past']],
      [{ windows: [{ start: iso(now + 20 * DAY), end: iso(now + 20 * DAY + HOUR) }] }, ['windows.0: window_too_far']],
      [{ consent: false }, ['consent: consent_required']],
      [{ language: 'tlh' }, ['language: language_invalid']],
      [{ phone: { country: 'DE', number: '' }, consent: false, windows: [] }, ['phone: phone_required', 'windows: windows_required', 'consent: consent_required']],
    ] as const) {
      const f = frame(over);
      v.send(f);
      const error = await v.next('error');
      expect(error, JSON.stringify(over)).toMatchObject({ code: 'callback_invalid', ref: f.requestId, issues });
    }
    // Malformed frames are bad requests, not crashes.
    v.send({ ...frame(), consent: 'yes' });
    expect(await v.next('error')).toMatchObject({ code: 'bad_request' });
    expect(await countCallbacks()).toBe(before);
    expect(await t.running.services.db.selectFrom('conversations').select('id').where('visitor_id', '=', visitorId).execute()).toEqual([]);
  });

  it('one open request per visitor; a resend of the same request is answered, not stored twice', async () => {
    const { v } = await newVisitor();
    const f = frame();
    v.send(f);
    const first = (await v.next('callbacks')).callbacks;
    const before = await countCallbacks();
    v.send(f);
    expect((await v.next('callbacks')).callbacks).toEqual(first);
    v.send(frame());
    expect(await v.next('error')).toMatchObject({ code: 'callback_pending' });
    expect(await countCallbacks()).toBe(before);
  });

  it('outside the opening hours: says when calls happen', async () => {
    const sites = (await api(t, admin, 'GET', '/sites')).json.sites as Array<{ id: string; key: string }>;
    const demo = sites.find((s) => s.key === 'demo')!;
    // Open only tomorrow (site time) 09:00-10:00: closed now.
    const tomorrow = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(Date.now() + DAY).slice(0, 3).toLowerCase();
    expect((await api(t, admin, 'PATCH', `/sites/${demo.id}`, { openingHours: { [tomorrow]: [{ from: '09:00', to: '10:00' }] } })).status).toBe(200);
    try {
      const { v } = await newVisitor();
      const requested = await ask(v);
      expect(requested.callsFrom).toBeGreaterThan(Date.now());
      expect(requested.callsFrom).toBeLessThan(Date.now() + 2 * DAY);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(requested.callsFrom!)).toBe('09:00');
    } finally {
      await api(t, admin, 'PATCH', `/sites/${demo.id}`, { openingHours: null });
    }
    const { v } = await newVisitor();
    expect((await ask(v)).callsFrom).toBeNull();
  });
});

describe('counsellors', () => {
  it('claim: of two at once exactly one gets it (repeatedly); only they see the number', async () => {
    for (let round = 0; round < 4; round++) {
      const { v } = await newVisitor();
      const requested = await ask(v);
      const [a, b] = await Promise.all([api(t, admin, 'POST', `/callbacks/${requested.id}/claim`), api(t, counsellor, 'POST', `/callbacks/${requested.id}/claim`)]);
      const statuses = [a.status, b.status].sort();
      expect(statuses, `round ${round}`).toEqual([200, 409]);
      const [won, lost, loser] = a.status === 200 ? [a, b, counsellor] : [b, a, admin];
      expect(lost.json.error.code).toBe('callback_taken');
      expect(won.json.callback).toMatchObject({ status: 'claimed', phone: E164, phoneDisplay: '+49 170 5550199' });
      // The other one (an admin too) never sees it.
      expect((await api(t, loser, 'GET', `/callbacks/${requested.id}`)).json.callback).toMatchObject({ status: 'claimed', phone: null });
      const stored = await row(requested.id);
      expect(stored.status).toBe('claimed');
      // Given back, for the next round's loser to see it is free again.
      const winner = a.status === 200 ? admin : counsellor;
      expect((await api(t, winner, 'POST', `/callbacks/${requested.id}/release`)).json.callback).toMatchObject({ status: 'waiting', phone: null, agentId: null });
    }
    const audit = (await api(t, admin, 'GET', '/audit?limit=50')).json.entries as Array<{ action: string; details: unknown }>;
    expect(audit.filter((e) => e.action === 'callback.claimed').length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(audit)).not.toContain('5550199');
  });

  it('not reached → back in the list with the number; done → the number and topic are deleted, the conversation keeps the outcome, the visitor sees it handled', async () => {
    const console = await agent(t, admin);
    open.push(console);
    const { v } = await newVisitor();
    const requested = await ask(v);
    const conversationId = (await row(requested.id)).conversation_id;
    expect((await api(t, counsellor, 'POST', `/callbacks/${requested.id}/claim`)).status).toBe(200);
    // Only the holder records an outcome.
    expect((await api(t, admin, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'done' })).status).toBe(403);
    expect((await api(t, counsellor, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'maybe' })).status).toBe(400);

    const tried = await api(t, counsellor, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'not_reached', note: 'Mailbox, 10:05' });
    expect(tried.json.callback).toMatchObject({ status: 'waiting', attempts: 1, lastAttempt: 'not_reached', phone: null, agentId: null });
    expect((await row(requested.id)).phone).toMatch(/^enc1\./);
    expect((await v.next('callbacks', (f) => f.callbacks[0]?.attempts === 1)).callbacks[0]).toMatchObject({ status: 'waiting', handledAt: null });

    const again = await api(t, counsellor, 'POST', `/callbacks/${requested.id}/claim`);
    expect(again.json.callback).toMatchObject({ phone: E164, note: 'Mailbox, 10:05' });
    const done = await api(t, counsellor, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'reached', note: 'Termin in der Beratungsstelle vereinbart' });
    expect(done.json.callback).toMatchObject({ status: 'closed', outcome: 'reached', phone: null, topic: null, note: 'Termin in der Beratungsstelle vereinbart' });

    const stored = await row(requested.id);
    expect(stored).toMatchObject({ status: 'closed', outcome: 'reached', phone: null, topic: null, attempts: 1 });
    expect(stored.note).toMatch(/^enc1\./);
    expect(await systemBodies(conversationId)).toEqual(['callback_requested', 'callback_not_reached', 'callback_reached']);
    const handled = (await v.next('callbacks', (f) => f.callbacks[0]?.status === 'closed')).callbacks[0]!;
    expect(handled).toMatchObject({ outcome: 'reached' });
    expect(handled.handledAt).toBeGreaterThan(0);
    // The console's row: closed, no number; the admin reads the note, the list does not carry it.
    expect((await console.next('callback', (f) => f.callback.id === requested.id && f.callback.status === 'closed')).callback).toMatchObject({ phone: null, note: null });
    expect((await api(t, admin, 'GET', `/callbacks/${requested.id}`)).json.callback.note).toBe('Termin in der Beratungsstelle vereinbart');
    const audit = (await api(t, admin, 'GET', '/audit?limit=20')).json.entries as Array<{ action: string; details: Record<string, unknown> }>;
    expect(audit.find((e) => e.action === 'callback.outcome')!.details).toEqual({ outcome: 'reached' });
    expect(JSON.stringify(audit)).not.toContain('Termin');
    // After this, the visitor may ask again.
    await ask(v);
  });

  it('wrong number deletes it too', async () => {
    const { v } = await newVisitor();
    const requested = await ask(v);
    await api(t, counsellor, 'POST', `/callbacks/${requested.id}/claim`);
    expect((await api(t, counsellor, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'wrong_number' })).json.callback).toMatchObject({ status: 'closed', outcome: 'wrong_number' });
    expect((await row(requested.id)).phone).toBeNull();
  });

  it.skipIf(TEST_DATABASE !== 'sqlite')('the finished number cannot be recovered from the database files (WAL included)', async () => {
    const { v } = await newVisitor();
    const requested = await ask(v);
    const aads = [`callback-phone:${requested.id}`, `callback-topic:${requested.id}`];
    await api(t, counsellor, 'POST', `/callbacks/${requested.id}/claim`);
    expect(recoverable(t.dataDir, t.running.services.keyring, [], aads).length).toBeGreaterThan(0);
    await api(t, counsellor, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'done' });
    expect(recoverable(t.dataDir, t.running.services.keyring, [], aads)).toEqual([]);
  });

  it('editors do not work on callbacks', async () => {
    const editor = { email: 'ed@example.org', name: 'Ed', password: 'an editor password that is long', role: 'editor' };
    await api(t, admin, 'POST', '/agents', editor);
    const cookie = await login(t, editor.email, editor.password);
    expect((await api(t, cookie, 'GET', '/callbacks')).status).toBe(403);
    expect((await api(t, undefined, 'GET', '/callbacks')).status).toBe(401);
  });
});

describe('retention', () => {
  it(`deletes the number DIRETURN_CALLBACK_RETENTION_DAYS after the last window; an unhandled request closes as expired`, async () => {
    const { v } = await newVisitor();
    const requested = await ask(v);
    const conversationId = (await row(requested.id)).conversation_id;
    const { retention } = t.running.services;
    const lastEnd = Number((await row(requested.id)).last_window_end);
    // 13 days after the window: kept.
    expect((await retention.run(lastEnd + 13 * DAY)).callbackNumbers).toBeUndefined();
    expect((await row(requested.id)).phone).toMatch(/^enc1\./);
    const result = await retention.run(lastEnd + 14 * DAY + 1000);
    expect(result.callbackNumbers).toBeGreaterThanOrEqual(1);
    expect(await row(requested.id)).toMatchObject({ phone: null, topic: null, status: 'closed', outcome: 'expired' });
    expect(await systemBodies(conversationId)).toEqual(['callback_requested', 'callback_expired']);
    expect((await v.next('callbacks', (f) => f.callbacks[0]?.status === 'closed')).callbacks[0]).toMatchObject({ outcome: 'expired' });
    const audit = (await api(t, admin, 'GET', '/audit?limit=5')).json.entries as Array<{ action: string; details: Record<string, unknown> }>;
    expect(audit.find((e) => e.action === 'retention.deleted')!.details).toMatchObject({ callbackNumbers: result.callbackNumbers });
    // Nothing more is due.
    expect((await retention.run(lastEnd + 14 * DAY + 1000)).callbackNumbers).toBeUndefined();
  });
});

describe('limits', () => {
  it('a visitor may ask three times in a row, then waits', async () => {
    const { v } = await newVisitor();
    for (let i = 0; i < 3; i++) {
      const requested = await ask(v);
      await api(t, counsellor, 'POST', `/callbacks/${requested.id}/claim`);
      await api(t, counsellor, 'POST', `/callbacks/${requested.id}/outcome`, { outcome: 'done' });
      await v.next('callbacks', (f) => f.callbacks.some((c) => c.id === requested.id && c.status === 'closed'));
    }
    const before = await countCallbacks();
    v.send(frame());
    const error = await v.next('error');
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(error.retryAfterMs).toBeGreaterThan(60_000);
    expect(await countCallbacks()).toBe(before);
  });
});

describe('deleted with the visitor', () => {
  it('"delete my data" deletes the request and its number; an admin deleting the conversation too', async () => {
    const { v, visitorId } = await newVisitor();
    const requested = await ask(v);
    v.send({ type: 'delete' });
    await v.next('deleted');
    expect(await t.running.services.db.selectFrom('callbacks').select('id').where('id', '=', requested.id).execute()).toEqual([]);
    expect(await t.running.services.db.selectFrom('visitors').select('id').where('id', '=', visitorId).execute()).toEqual([]);

    const other = await newVisitor();
    const second = await ask(other.v);
    const conversationId = (await row(second.id)).conversation_id;
    expect((await api(t, admin, 'DELETE', `/conversations/${conversationId}`)).status).toBe(204);
    expect(await t.running.services.db.selectFrom('callbacks').select('id').where('id', '=', second.id).execute()).toEqual([]);
  });
});

describe('key rotation', () => {
  it('re-encrypts the number, the topic and the note with the new key; the claimer still reads the number', async () => {
    const { v } = await newVisitor();
    const open = await ask(v);
    const { v: v2 } = await newVisitor();
    const finished = await ask(v2);
    await api(t, counsellor, 'POST', `/callbacks/${finished.id}/claim`);
    await api(t, counsellor, 'POST', `/callbacks/${finished.id}/outcome`, { outcome: 'done', note: 'Notiz zur Rotation' });
    await api(t, counsellor, 'POST', `/callbacks/${open.id}/claim`);
    const cli = Keyring.load({ dataDir: t.dataDir });
    const newKey = cli.addKeyToFile();
    expect((await reencryptAll(t.running.services.db, cli)).failed).toBe(0);
    const sealed = [(await row(open.id)).phone, (await row(open.id)).topic, (await row(finished.id)).note];
    for (const value of sealed) expect(value).toMatch(new RegExp(`^enc1\\.${newKey}\\.`));
    // The server re-reads the key file at most once a second.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await api(t, counsellor, 'GET', `/callbacks/${open.id}`)).json.callback).toMatchObject({ phone: E164, topic: 'Rückreise nach Aleppo' });
    expect((await api(t, admin, 'GET', `/callbacks/${finished.id}`)).json.callback.note).toBe('Notiz zur Rotation');
  });
});

describe('logs', () => {
  it('never carry a number, a topic or a note of this file (debug level included)', () => {
    const all = logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of ['5550199', '170 555', 'Aleppo', 'Mailbox', 'Termin']) expect(all, secret).not.toContain(secret);
  });
});
