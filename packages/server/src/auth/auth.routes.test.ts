import { request, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, api, login, startTestServer, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.stop();
});

describe('staff login', () => {
  it('logs in with the right password and sets an HttpOnly, SameSite cookie', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { agent: unknown }).agent).toMatchObject({ email: ADMIN.email, role: 'admin' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^direturn_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('answers a wrong password and an unknown e-mail alike', async () => {
    const wrong = await api(t, undefined, 'POST', '/auth/login', { email: ADMIN.email, password: 'not the password' });
    const unknown = await api(t, undefined, 'POST', '/auth/login', { email: 'nobody@example.org', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    expect(wrong.json.error.code).toBe('invalid_credentials');
  });

  it('refuses every console route without a session, and after logout', async () => {
    for (const [method, path] of [['GET', '/me'], ['GET', '/conversations'], ['GET', '/sites'], ['POST', '/conversations/00000000-0000-4000-8000-000000000000/claim']] as const) {
      expect((await api(t, undefined, method, path)).status, `${method} ${path}`).toBe(401);
    }
    const cookie = await login(t);
    expect((await api(t, cookie, 'GET', '/me')).status).toBe(200);
    expect((await api(t, cookie, 'POST', '/auth/logout')).status).toBe(204);
    expect((await api(t, cookie, 'GET', '/me')).status).toBe(401);
  });

  it('rejects state-changing requests from other origins', async () => {
    const cookie = await login(t);
    const res = await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await api(t, cookie, 'GET', '/me')).status).toBe(200);
  });

  it('accepts the public URL as origin behind a TLS-terminating proxy, where the request itself arrives as http://', async () => {
    await t.stop();
    t = await startTestServer({ env: { DIRETURN_PUBLIC_URL: 'https://direturn.example' } });
    const port = new URL(t.url).port;
    // As the proxy forwards it: plain http, the public host, the browser's https:// Origin.
    const viaProxy = (path: string, origin: string, cookie?: string, body?: unknown) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
        const text = body === undefined ? '' : JSON.stringify(body);
        const req = request({
          host: '127.0.0.1',
          port,
          path: `/api${path}`,
          method: 'POST',
          headers: { host: 'direturn.example', origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(cookie ? { cookie } : {}) },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
        });
        req.on('error', reject);
        req.end(text);
      });

    const ok = await viaProxy('/auth/login', 'https://direturn.example', undefined, ADMIN);
    expect(ok.status).toBe(200);
    expect(ok.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const setCookie = ok.headers['set-cookie']![0]!;
    expect(setCookie).toContain('Secure');
    const cookie = setCookie.split(';')[0]!;
    for (const foreign of ['https://evil.example', 'http://direturn.example.evil.example', 'https://direturn.example:8443', 'null']) {
      expect((await viaProxy('/auth/login', foreign, undefined, ADMIN)).status, foreign).toBe(403);
      expect((await viaProxy('/auth/logout', foreign, cookie)).status, foreign).toBe(403);
    }
    expect((await api(t, cookie, 'GET', '/me')).status).toBe(200);
    // Reached directly under its own address (a local run, the tests), the request's origin still counts.
    expect((await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: t.origin } })).status).toBe(204);
  });

  it('answers bad bodies with 400/413 and the reason', async () => {
    expect((await api(t, undefined, 'POST', '/auth/login', '{"email":')).json.error).toEqual({ code: 'bad_request', message: 'Request body is not valid JSON.' });
    const bad = await api(t, undefined, 'POST', '/auth/login', { email: 'not-an-email', password: '' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues).toEqual(['email: must be an e-mail address', 'password: must not be empty']);
    expect((await api(t, undefined, 'POST', '/auth/login', { email: 'a@b.de', password: 'x'.repeat(20_000) })).status).toBe(413);
  });

  it('lets only admins manage sites', async () => {
    const admin = await login(t);
    const created = await api(t, admin, 'POST', '/sites', { name: 'Caritas Augsburg', allowedOrigins: ['https://caritas-augsburg.example'] });
    expect(created.status).toBe(201);
    expect(created.json.site).toMatchObject({ name: 'Caritas Augsburg', allowedOrigins: ['https://caritas-augsburg.example'], defaultLanguage: 'de' });
    await t.running.services.agents.create({ email: 'c@example.org', name: 'Cem', password: 'a long enough password', role: 'counsellor', languages: ['de'] });
    const counsellor = await login(t, 'c@example.org', 'a long enough password');
    expect((await api(t, counsellor, 'GET', '/sites')).status).toBe(403);
    expect((await api(t, admin, 'POST', '/sites', { name: 'x', allowedOrigins: ['javascript:alert(1)'] })).status).toBe(400);
  });
});
