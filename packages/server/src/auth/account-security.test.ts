import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { passwordIssues } from '../agents/password-policy.js';
import { ADMIN, agent, api, login, startTestServer, wsUrl, type TestServer } from '../test-support/harness.js';
import { LoginThrottle } from './login-throttle.js';
import { hashSecret } from '../shared/ids.js';
import * as recoveryArgon2 from '../db/migrations/2026_12_10_0001_recovery_argon2.js';
import type { RateLimitedError } from '../shared/errors.js';

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});

async function post(path: string, body: unknown, cookie?: string) {
  const res = await fetch(`${t.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

const COUNSELLOR = { email: 'c@example.org', name: 'Cem', password: 'a long enough password', role: 'counsellor' as const, languages: ['de' as const] };

describe('passwords (NIST SP 800-63B)', () => {
  it('asks for length, not composition, and refuses common or context-specific ones', () => {
    expect(passwordIssues('short')).toEqual([{ path: 'password', code: 'too_short', params: { min: 12 } }]);
    expect(passwordIssues('x'.repeat(1025))).toEqual([{ path: 'password', code: 'too_long', params: { max: 1024 } }]);
    expect(passwordIssues('alllowercase words are fine')).toEqual([]);
    for (const common of ['Password1234', '123456789012', 'abcabcabcabc']) expect(passwordIssues(common), common).toEqual([{ path: 'password', code: 'password_common' }]);
    // The account's own address or name, or that with digits and symbols added, compared whole.
    const anna = { email: 'anna.berger@example.org', name: 'Anna Berger' };
    for (const own of ['anna.berger@example.org', 'Anna.Berger2026!', 'annaberger123456', 'Anna Berger 1987', 'DiReturn2026!!']) {
      expect(passwordIssues(own, anna), own).toEqual([{ path: 'password', code: 'password_contains_email' }]);
    }
  });

  it('accepts a password that only contains the first name (NIST SP 800-63B rev. 4: the entire password is compared, not substrings)', () => {
    // The reported case: the e-mail's local part is the first name, the password a sentence with it.
    expect(passwordIssues('Anna lernt Paschtu am Abend', { email: 'anna@example.org', name: 'Anna Berger' })).toEqual([]);
    expect(passwordIssues('anna.berger-secret', { email: 'anna.berger@example.org' })).toEqual([]);
  });

  it('is enforced when an admin creates an agent', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const weak = await api(t, admin, 'POST', '/agents', { ...COUNSELLOR, password: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.issues[0]).toContain('too common');
    expect(weak.json.error.details).toEqual([{ path: 'password', code: 'password_common' }]);
    expect((await api(t, admin, 'POST', '/agents', COUNSELLOR)).status).toBe(201);
  });

  it('are stored as argon2id hashes with OWASP parameters (19 MiB, 2 passes, 1 lane), never in clear', async () => {
    t = await startTestServer();
    const admin = await login(t);
    expect((await api(t, admin, 'POST', '/agents', COUNSELLOR)).status).toBe(201);
    const row = await t.running.services.db.selectFrom('agents').select('password_hash').where('email', '=', COUNSELLOR.email).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(COUNSELLOR.password);
  });
});

describe('login throttling', () => {
  it('grows delays per account and client: 429 with Retry-After even for the right password, the same for unknown e-mails', async () => {
    t = await startTestServer();
    for (let i = 0; i < 5; i++) expect((await post('/auth/login', { email: ADMIN.email, password: 'wrong password!' })).status).toBe(401);
    const locked = await post('/auth/login', ADMIN);
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) await post('/auth/login', { email: 'nobody@example.org', password: 'wrong password!' });
    const unknown = await post('/auth/login', { email: 'nobody@example.org', password: 'wrong password!' });
    expect(unknown.status).toBe(429);
    expect(unknown.json.error.message).toBe(locked.json.error.message);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post('/auth/login', ADMIN)).status).toBe(200);
  });

  /** Requests as if from `address` (DIRETURN_TRUST_PROXY: the last X-Forwarded-For entry is the client). */
  async function postFrom(address: string, path: string, body: unknown, cookie?: string) {
    const res = await fetch(`${t.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
  }
  const statuses = (results: Array<{ status: number }>) => results.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});
  /**
   * Of a parallel burst only the 5 free attempts are checked (401), the rest refused unchecked (429).
   * A burst that takes seconds to arrive on a busy machine may see a delay (1 s, 2 s, …) run out
   * once or twice: a few more, never dozens (before counting came first: 44 to 105 of 200).
   */
  const fewChecked = (results: Array<{ status: number }>) => {
    const n = statuses(results);
    expect(Object.keys(n).sort()).toEqual(['401', '429']);
    expect(n[401]).toBeGreaterThanOrEqual(5);
    expect(n[401]).toBeLessThanOrEqual(7);
  };

  it('counts each attempt before argon2 answers: of a parallel burst only the free attempts are checked, and the right password in it does not get in', async () => {
    t = await startTestServer({ env: { DIRETURN_TRUST_PROXY: 'true' } });
    const burst = await Promise.all(Array.from({ length: 200 }, () => postFrom('10.0.0.1', '/auth/login', { email: ADMIN.email, password: 'wrong password!' })));
    fewChecked(burst);

    // 20 wrong and then the right one, all in flight together, from another client.
    const wrong = Array.from({ length: 20 }, () => postFrom('10.0.0.2', '/auth/login', { email: ADMIN.email, password: 'wrong password!' }));
    await new Promise((r) => setTimeout(r, 20));
    const right = await postFrom('10.0.0.2', '/auth/login', ADMIN);
    fewChecked(await Promise.all(wrong));
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
  });

  it('counts every other password and code check the same way: turning 2FA off, confirming it, the second log-in step', async () => {
    t = await startTestServer({ env: { DIRETURN_TRUST_PROXY: 'true' } });
    const cookie = await login(t);
    const disable = await Promise.all(Array.from({ length: 30 }, () => postFrom('10.0.1.1', '/me/totp/disable', { password: 'wrong password!' }, cookie)));
    fewChecked(disable);

    const setup = await api(t, cookie, 'POST', '/me/totp/setup');
    const enable = await Promise.all(Array.from({ length: 30 }, () => postFrom('10.0.1.2', '/me/totp/enable', { code: '000000' }, cookie)));
    fewChecked(enable);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json.secret) }).generate();
    expect((await postFrom('10.0.1.3', '/me/totp/enable', { code }, cookie)).status).toBe(200);

    // One challenge, many codes at once: at most 5 are checked against it, from any number of clients.
    const step1 = await postFrom('10.0.1.4', '/auth/login', ADMIN);
    const codes = await Promise.all(Array.from({ length: 30 }, (_, i) => postFrom(`10.0.2.${i}`, '/auth/login/totp', { challenge: step1.json.challenge, code: String(i).padStart(6, '0') })));
    expect(codes.filter((r) => r.json.error.message === 'The code is not correct.')).toHaveLength(5);
    expect(codes.every((r) => r.status === 401)).toBe(true); // the rest: the challenge is gone
  });

  it("keeps the account's owner in: a guesser elsewhere delays only themselves, a distributed attack not the owner's device", async () => {
    t = await startTestServer({ env: { DIRETURN_TRUST_PROXY: 'true' } });
    // The owner logged in from their laptop before: the browser holds a device cookie.
    const before = await postFrom('10.0.3.1', '/auth/login', ADMIN);
    const device = before.headers.getSetCookie().find((c) => c.startsWith('direturn_device='))!;
    expect(device).toMatch(/HttpOnly/i);
    expect(device).toMatch(/Path=\/api\/auth/);
    expect(device).toMatch(/SameSite=Strict/i);
    const deviceCookie = device.split(';')[0]!;

    // Someone who knows the address keeps guessing from one client.
    for (let i = 0; i < 12; i++) await postFrom('10.0.3.66', '/auth/login', { email: ADMIN.email, password: 'wrong password!' });
    expect((await postFrom('10.0.3.66', '/auth/login', ADMIN)).status).toBe(429);
    // The owner, from another client, without a device cookie: in.
    expect((await postFrom('10.0.3.2', '/auth/login', ADMIN)).status).toBe(200);

    // A distributed attack: failures from 150 clients (counted as the route counts them, without argon2's time).
    const { auth } = t.running.services;
    for (let i = 0; i < 150; i++) await auth.throttle.begin({ email: ADMIN.email, client: `botnet-${i}` }).catch(() => undefined);
    const fresh = await postFrom('10.0.3.3', '/auth/login', ADMIN);
    expect(fresh.status).toBe(429); // a browser never seen before waits: a growing delay, not a lock
    expect(Number(fresh.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    const owner = await postFrom('10.0.3.4', '/auth/login', ADMIN, deviceCookie);
    expect(owner.status).toBe(200);
    // A device cookie of another account, or forged, counts for nothing.
    expect((await postFrom('10.0.3.5', '/auth/login', ADMIN, 'direturn_device=AAAAAAAAAAAAAAAAAAAAAA.forged')).status).toBe(429);
  });

  it('doubles the delay per counted attempt up to 15 minutes, limits one client across accounts, and lets a slow trickle leak away', async () => {
    const now = 1_000_000;
    const th = new LoginThrottle();
    const attempt = (email: string, client: string, at = now) => th.begin({ email, client }, at).then(
      () => 0,
      (e: RateLimitedError) => e.retryAfterMs,
    );
    for (let i = 0; i < 5; i++) expect(await attempt('a@x.org', 'client-1')).toBe(0);
    expect(await attempt('a@x.org', 'client-1')).toBe(1000);
    expect(await attempt('a@x.org', 'client-2')).toBe(0); // another client: its own count
    expect(await attempt('a@x.org', 'client-1', now + 1000)).toBe(0);
    expect(await attempt('a@x.org', 'client-1', now + 1000)).toBe(2000);
    let at = now + 1000;
    for (let i = 0; i < 12; i++) {
      at += 16 * 60_000;
      await attempt('a@x.org', 'client-1', at);
    }
    expect(await attempt('a@x.org', 'client-1', at)).toBeLessThanOrEqual(15 * 60_000);

    const c = new LoginThrottle();
    for (let i = 0; i < 20; i++) await c.begin({ email: `user${i}@x.org`, client: 'client-1' }, now);
    await expect(c.begin({ email: 'fresh@x.org', client: 'client-1' }, now)).rejects.toMatchObject({ retryAfterMs: 1000 });
    await expect(c.begin({ email: 'fresh@x.org', client: 'client-2' }, now)).resolves.toBeDefined();

    // One guess every 15 minutes from one client, for two days: it never delays the owner elsewhere.
    const slow = new LoginThrottle();
    for (let i = 0; i < 200; i++) await slow.begin({ email: 'a@x.org', client: 'patient' }, now + i * 15 * 60_000).catch(() => undefined);
    await expect(slow.begin({ email: 'a@x.org', client: 'owner' }, now + 200 * 15 * 60_000)).resolves.toBeDefined();

    // Successes do not count against the shared client counter.
    const office = new LoginThrottle();
    for (let i = 0; i < 50; i++) await (await office.begin({ email: `colleague${i}@x.org`, client: 'office-nat' }, now)).passed(true);
    await expect(office.begin({ email: 'late@x.org', client: 'office-nat' }, now)).resolves.toBeDefined();
  });
});

describe('sessions', () => {
  it('expire after inactivity, and every request slides them (at most once a minute)', async () => {
    t = await startTestServer();
    const [active, inactive] = [await login(t), await login(t)];
    const { db } = t.running.services;
    const idOf = (cookie: string) => hashSecret(decodeURIComponent(cookie.split('=')[1]!));
    const soon = Date.now() + 10_000;
    const twoMinutesAgo = Date.now() - 120_000;
    await db.updateTable('sessions').set({ expires_at: soon, last_seen_at: twoMinutesAgo }).where('id', '=', idOf(active)).execute();
    await db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id', '=', idOf(inactive)).execute();
    expect((await api(t, inactive, 'GET', '/me')).status).toBe(401);
    expect((await api(t, active, 'GET', '/me')).status).toBe(200);
    const row = await db.selectFrom('sessions').select(['expires_at']).where('id', '=', idOf(active)).executeTakeFirstOrThrow();
    expect(Number(row.expires_at)).toBeGreaterThan(Date.now() + 60 * 60_000); // DIRETURN_SESSION_HOURS (12) from now
  });

  it('rotates on login (the old session ends), and an admin can revoke sessions and close live sockets', async () => {
    t = await startTestServer();
    const first = await login(t);
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: first }, body: JSON.stringify(ADMIN) });
    const second = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(second).not.toBe(first);
    expect((await api(t, first, 'GET', '/me')).status).toBe(401);
    expect((await api(t, second, 'GET', '/me')).status).toBe(200);

    const admin = second;
    const created = await api(t, admin, 'POST', '/agents', COUNSELLOR);
    const id = created.json.agent.id;
    const cookie = await login(t, COUNSELLOR.email, COUNSELLOR.password);
    const socket = await agent(t, cookie);
    expect((await api(t, admin, 'GET', '/agents')).json.agents.find((a: { id: string }) => a.id === id).sessions).toBe(1);
    expect((await api(t, admin, 'DELETE', `/agents/${id}/sessions`)).status).toBe(204);
    expect((await socket.closed).code).toBe(4401);
    expect((await api(t, cookie, 'GET', '/me')).status).toBe(401);

    // Disabling ends everything and the password no longer works (same generic answer).
    await login(t, COUNSELLOR.email, COUNSELLOR.password);
    const disabled = await api(t, admin, 'PATCH', `/agents/${id}`, { disabled: true });
    expect(disabled.json.agent).toMatchObject({ disabledAt: expect.any(Number), sessions: 0 });
    const refused = await post('/auth/login', { email: COUNSELLOR.email, password: COUNSELLOR.password });
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe('invalid_credentials');
    expect((await api(t, admin, 'PATCH', `/agents/${created.json.agent.id}`, { disabled: false })).json.agent.disabledAt).toBeNull();
    expect((await api(t, admin, 'PATCH', `/agents/${(await api(t, admin, 'GET', '/me')).json.agent.id}`, { disabled: true })).status).toBe(403);
  });
});

describe('roles', () => {
  it('keeps every admin route from counsellors (403) and from anonymous callers (401)', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const { json } = await api(t, admin, 'POST', '/agents', COUNSELLOR);
    const counsellor = await login(t, COUNSELLOR.email, COUNSELLOR.password);
    const id = json.agent.id;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/agents'],
      ['POST', '/agents', { ...COUNSELLOR, email: 'x@example.org' }],
      ['PATCH', `/agents/${id}`, { role: 'admin' }],
      ['DELETE', `/agents/${id}/sessions`],
      ['DELETE', `/agents/${id}/totp`],
      ['GET', '/settings'],
      ['PATCH', '/settings', { requireTotp: true }],
      ['GET', '/audit'],
      ['GET', '/sites'],
      ['POST', '/sites', { name: 'x', allowedOrigins: ['https://x.example'] }],
      ['GET', '/privacy-notices'],
      ['PUT', '/privacy-notices', { siteId: null, language: 'de', text: 'x' }],
      ['DELETE', '/privacy-notices?language=de'],
      ['GET', '/conversations?status=all'],
      ['DELETE', '/conversations/00000000-0000-4000-8000-000000000000'],
    ];
    for (const [method, path, body] of routes) {
      expect((await api(t, counsellor, method, path, body)).status, `${method} ${path} as counsellor`).toBe(403);
      expect((await api(t, undefined, method, path, body)).status, `${method} ${path} anonymous`).toBe(401);
    }
    expect((await api(t, counsellor, 'GET', '/me')).json.agent.role).toBe('counsellor');
  });
});

describe('two-factor authentication (TOTP)', () => {
  const codeAt = (secret: string, offsetSteps = 0) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

  it('enrols with a QR code, then asks for a code at login; codes and recovery codes work once', async () => {
    t = await startTestServer();
    const cookie = await login(t);
    const setup = await api(t, cookie, 'POST', '/me/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.json.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(setup.json.otpauthUrl).toMatch(/^otpauth:\/\/totp\/DiReturn:/);
    expect((await api(t, cookie, 'POST', '/me/totp/enable', { code: '000000' })).json.error.code).toBe('invalid_credentials');
    const enabled = await api(t, cookie, 'POST', '/me/totp/enable', { code: codeAt(setup.json.secret) });
    expect(enabled.status).toBe(200);
    expect(enabled.json.recoveryCodes).toHaveLength(10);
    expect((await api(t, cookie, 'GET', '/me')).json.agent.totpEnabled).toBe(true);
    // The secret is stored encrypted, the recovery codes hashed.
    const secretRow = await t.running.services.db.selectFrom('agent_totp').select('secret').executeTakeFirstOrThrow();
    expect(secretRow.secret).not.toContain(setup.json.secret);
    // Like passwords: argon2id with a salt each, not a fast hash one could run 2^50 times.
    const codes = await t.running.services.db.selectFrom('agent_recovery_codes').select('code_hash').execute();
    expect(codes).toHaveLength(10);
    for (const { code_hash } of codes) expect(code_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(new Set(codes.map((c) => c.code_hash.split('$')[4])).size).toBe(10); // ten salts
    const stored = codes.map((c) => c.code_hash).join(' ');
    for (const code of enabled.json.recoveryCodes as string[]) expect(stored).not.toContain(hashSecret(code));

    const step1 = await post('/auth/login', ADMIN);
    expect(step1.status).toBe(200);
    expect(step1.json).toEqual({ totpRequired: true, challenge: expect.any(String) });
    expect(step1.headers.get('set-cookie')).toBeNull();
    // The code used for enrolment is spent: a replay fails.
    expect((await post('/auth/login/totp', { challenge: step1.json.challenge, code: codeAt(setup.json.secret) })).status).toBe(401);
    const ok = await post('/auth/login/totp', { challenge: step1.json.challenge, code: codeAt(setup.json.secret, 1) });
    expect(ok.status).toBe(200);
    expect(ok.json.agent.totpEnabled).toBe(true);
    expect(ok.headers.get('set-cookie')).toMatch(/^direturn_session=/);
    // A challenge is single-use.
    expect((await post('/auth/login/totp', { challenge: step1.json.challenge, code: codeAt(setup.json.secret, -1) })).status).toBe(401);

    const recovery = enabled.json.recoveryCodes[0];
    const step2 = await post('/auth/login', ADMIN);
    expect((await post('/auth/login/totp', { challenge: step2.json.challenge, code: recovery })).status).toBe(200);
    const step3 = await post('/auth/login', ADMIN);
    expect((await post('/auth/login/totp', { challenge: step3.json.challenge, code: recovery })).status).toBe(401);
  });

  it('upgrades recovery codes stored as plain SHA-256 before (migration): they keep working, once', async () => {
    t = await startTestServer();
    const cookie = await login(t);
    const setup = await api(t, cookie, 'POST', '/me/totp/setup');
    await api(t, cookie, 'POST', '/me/totp/enable', { code: codeAt(setup.json.secret) });
    const { db } = t.running.services;
    // As the previous version stored them.
    const legacy = 'abcde-fghij';
    await db.deleteFrom('agent_recovery_codes').execute();
    const agentId = (await db.selectFrom('agents').select('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('agent_recovery_codes').values({ id: '00000000-0000-4000-8000-00000000000a', agent_id: agentId, code_hash: hashSecret(legacy), used_at: null }).execute();
    await recoveryArgon2.up(db);
    expect((await db.selectFrom('agent_recovery_codes').select('code_hash').executeTakeFirstOrThrow()).code_hash).toMatch(/^\$argon2id\$/);
    const step = await post('/auth/login', ADMIN);
    expect((await post('/auth/login/totp', { challenge: step.json.challenge, code: legacy })).status).toBe(200);
    const again = await post('/auth/login', ADMIN);
    expect((await post('/auth/login/totp', { challenge: again.json.challenge, code: legacy })).status).toBe(401);
  });

  it('can be enforced by an admin: agents without it may only enrol, and cannot open a socket', async () => {
    t = await startTestServer();
    const admin = await login(t);
    await api(t, admin, 'POST', '/agents', COUNSELLOR);
    expect((await api(t, admin, 'PATCH', '/settings', { requireTotp: true })).json.error.message).toContain('for yourself');
    const own = await api(t, admin, 'POST', '/me/totp/setup');
    await api(t, admin, 'POST', '/me/totp/enable', { code: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(own.json.secret) }).generate() });
    expect((await api(t, admin, 'PATCH', '/settings', { requireTotp: true })).json.settings).toMatchObject({ requireTotp: true, retentionDays: 90 });
    const cookie = await login(t, COUNSELLOR.email, COUNSELLOR.password);
    expect((await api(t, cookie, 'GET', '/me')).json.agent).toMatchObject({ totpEnabled: false, totpSetupRequired: true });
    const blocked = await api(t, cookie, 'GET', '/conversations');
    expect(blocked.status).toBe(403);
    expect(blocked.json.error.code).toBe('totp_setup_required');
    const ws = new WebSocket(wsUrl(t.url, '/ws/agent'), { headers: { cookie } });
    expect(await new Promise((r) => ws.once('unexpected-response', (_q, res) => r(res.statusCode)))).toBe(403);
    const setup = await api(t, cookie, 'POST', '/me/totp/setup');
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json.secret) }).generate();
    expect((await api(t, cookie, 'POST', '/me/totp/enable', { code })).status).toBe(200);
    expect((await api(t, cookie, 'GET', '/conversations')).status).toBe(200);
    // Turning it off is not allowed while enforced.
    expect((await api(t, cookie, 'POST', '/me/totp/disable', { password: COUNSELLOR.password })).status).toBe(403);
    // An admin resets a lost device: sessions end, enrolment starts again.
    const list = await api(t, admin, 'GET', '/agents');
    const id = list.json.agents.find((a: { email: string }) => a.email === COUNSELLOR.email).id;
    expect((await api(t, admin, 'DELETE', `/agents/${id}/totp`)).json.agent.totpEnabled).toBe(false);
    expect((await api(t, cookie, 'GET', '/me')).status).toBe(401);
  });
});

describe('security headers', () => {
  /** The headers of GET /console/ as a browser gets them (a stand-in page: no build needed). */
  async function consolePage(env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'direturn-console-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="console.js"></script>');
    t = await startTestServer({ env: { DIRETURN_CONSOLE_DIR: dir, ...env } });
    // connection: close, else the kept-alive socket of a static response holds up stop() for 3 s.
    const res = await fetch(`${t.url}/console/`, { headers: { connection: 'close' } });
    const html = await res.text();
    rmSync(dir, { recursive: true, force: true });
    expect(res.status).toBe(200);
    expect(html).toContain('<title>console</title>');
    return res.headers;
  }

  it('sends the console a strict CSP without inline script, no framing, no referrer, and HSTS behind https', async () => {
    const headers = await consolePage({ DIRETURN_PUBLIC_URL: 'https://direturn.example.org' });
    const policy = headers.get('content-security-policy')!;
    // One policy only (a second header would be joined with a comma).
    expect(policy).not.toContain(',');
    const csp = new Map(
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    // The console holds calls: camera and microphone for its own origin only.
    expect(headers.get('permissions-policy')).toBe('camera=(self), microphone=(self), geolocation=(), payment=()');
    expect(headers.get('cache-control')).toBe('no-cache');
    expect(headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const health = await fetch(`${t.url}/healthz`);
    await health.text();
    expect(health.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    await t.stop();

    // Plain http (a local test set-up): no HSTS, which would lock the browser out of it.
    const plain = await consolePage();
    expect(plain.get('strict-transport-security')).toBeNull();
    expect(plain.get('content-security-policy')).toBe(policy);
  });
});
