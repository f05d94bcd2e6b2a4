import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, agent, api, login, startTestServer, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.stop();
});

const CEM = { email: 'cem@example.org', name: 'Cem Yılmaz', password: 'a long enough password', role: 'counsellor' as const, languages: ['de' as const, 'tr' as const] };
const NEW = 'drei Katzen im Treppenhaus';

async function auditActions(): Promise<Array<{ action: string; agentId: string | null; targetAgentId: string | null; details: Record<string, unknown> }>> {
  return (await api(t, await login(t), 'GET', '/audit')).json.entries;
}

describe('POST /api/me/password (own password)', () => {
  it('needs the current password; keeps this session, ends the others; the new password logs in, the old one not', async () => {
    await t.running.services.agents.create(CEM);
    const here = await login(t, CEM.email, CEM.password);
    const elsewhere = await login(t, CEM.email, CEM.password);
    const socketElsewhere = await agent(t, elsewhere);

    const wrong = await api(t, here, 'POST', '/me/password', { currentPassword: 'not my password', newPassword: NEW });
    expect(wrong).toMatchObject({ status: 401, json: { error: { code: 'invalid_credentials' } } });

    const res = await api(t, here, 'POST', '/me/password', { currentPassword: CEM.password, newPassword: NEW });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ agent: { email: CEM.email }, otherSessionsEnded: 1 });
    expect(res.json.agent.passwordChangeRequired).toBeUndefined();
    expect((await api(t, here, 'GET', '/me')).status).toBe(200);
    expect((await api(t, elsewhere, 'GET', '/me')).status).toBe(401);
    expect((await socketElsewhere.closed).code).toBe(4401);

    await expect(login(t, CEM.email, CEM.password)).rejects.toThrow(/401/);
    expect(await login(t, CEM.email, NEW)).toMatch(/^direturn_session=/);
    const entry = (await auditActions()).find((e) => e.action === 'auth.password_changed');
    expect(entry).toMatchObject({ agentId: res.json.agent.id, targetAgentId: res.json.agent.id, details: { otherSessionsEnded: 1, afterReset: false } });
  });

  it('refuses a weak or unchanged new password with codes, before counting an attempt', async () => {
    await t.running.services.agents.create(CEM);
    const cookie = await login(t, CEM.email, CEM.password);
    const short = await api(t, cookie, 'POST', '/me/password', { currentPassword: CEM.password, newPassword: 'kurz' });
    expect(short).toMatchObject({ status: 400, json: { error: { code: 'bad_request', details: [{ path: 'newPassword', code: 'too_short', params: { min: 12 } }] } } });
    const own = await api(t, cookie, 'POST', '/me/password', { currentPassword: CEM.password, newPassword: 'Cem.Yılmaz2026' });
    expect(own.json.error.details).toEqual([{ path: 'password', code: 'password_contains_email' }]);
    // Contains the first name, but is a sentence: accepted (NIST SP 800-63B rev. 4 compares whole passwords).
    const unchanged = await api(t, cookie, 'POST', '/me/password', { currentPassword: CEM.password, newPassword: CEM.password });
    expect(unchanged.json.error.details).toEqual([{ path: 'newPassword', code: 'password_unchanged' }]);
    expect((await api(t, cookie, 'POST', '/me/password', { currentPassword: CEM.password, newPassword: 'Cem trinkt Tee am Bosporus' })).status).toBe(200);
  });

  it('is throttled like a log-in: guesses are counted before they are checked, so even the right password waits', async () => {
    await t.running.services.agents.create(CEM);
    const cookie = await login(t, CEM.email, CEM.password);
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => api(t, cookie, 'POST', '/me/password', { currentPassword: `guess number ${i}`, newPassword: NEW })));
    expect(guesses.filter((g) => g.status === 401)).toHaveLength(5);
    expect(guesses.filter((g) => g.status === 429)).toHaveLength(3);
    const right = await api(t, cookie, 'POST', '/me/password', { currentPassword: CEM.password, newPassword: NEW });
    expect(right).toMatchObject({ status: 429, json: { error: { code: 'rate_limited' } } });
  });
});

describe('POST /api/agents/:id/password (admin reset)', () => {
  it('gives a one-time password, ends every session of the agent, and the agent must choose a new password before anything else', async () => {
    const cem = await t.running.services.agents.create(CEM);
    const cemCookie = await login(t, CEM.email, CEM.password);
    const cemSocket = await agent(t, cemCookie);
    const admin = await login(t);

    const reset = await api(t, admin, 'POST', `/agents/${cem.id}/password`);
    expect(reset.status).toBe(200);
    expect(reset.json.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(reset.json.agent).toMatchObject({ id: cem.id, sessions: 0, passwordChangeRequired: true });
    expect((await api(t, cemCookie, 'GET', '/me')).status).toBe(401);
    expect((await cemSocket.closed).code).toBe(4401);
    await expect(login(t, CEM.email, CEM.password)).rejects.toThrow(/401/);

    const once = await login(t, CEM.email, reset.json.oneTimePassword);
    expect((await api(t, once, 'GET', '/me')).json.agent).toMatchObject({ id: cem.id, passwordChangeRequired: true });
    expect(await api(t, once, 'GET', '/conversations?status=waiting')).toMatchObject({ status: 403, json: { error: { code: 'password_change_required' } } });
    await expect(agent(t, once)).rejects.toThrow();

    const changed = await api(t, once, 'POST', '/me/password', { currentPassword: reset.json.oneTimePassword, newPassword: NEW });
    expect(changed.status).toBe(200);
    expect(changed.json.agent.passwordChangeRequired).toBeUndefined();
    expect((await api(t, once, 'GET', '/conversations?status=waiting')).status).toBe(200);
    (await agent(t, once)).close();

    const entries = await auditActions();
    const adminId = (await api(t, admin, 'GET', '/me')).json.agent.id;
    expect(entries.find((e) => e.action === 'agent.password_reset')).toMatchObject({ agentId: adminId, targetAgentId: cem.id, details: { via: 'console' } });
    expect(entries.find((e) => e.action === 'auth.password_changed')).toMatchObject({ agentId: cem.id, details: { afterReset: true } });
  });

  it('lets a one-time password expire after DIRETURN_ONE_TIME_PASSWORD_HOURS, and says so only to whoever knows it', async () => {
    await t.stop();
    t = await startTestServer({ env: { DIRETURN_ONE_TIME_PASSWORD_HOURS: '2' } });
    const cem = await t.running.services.agents.create(CEM);
    const admin = await login(t);
    const reset = (await api(t, admin, 'POST', `/agents/${cem.id}/password`)).json;
    // Three hours later (the reset moved back in time), the right one-time password no longer opens a session.
    await t.running.services.db.updateTable('agents').set({ password_reset_at: Date.now() - 3 * 3600_000 }).where('id', '=', cem.id).execute();
    const expired = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: t.url }, body: JSON.stringify({ email: CEM.email, password: reset.oneTimePassword }) });
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('password_expired');
    expect(expired.headers.get('set-cookie') ?? '').not.toMatch(/direturn/i);
    // A wrong password still gets the usual answer: expiry reveals nothing to a guesser.
    await expect(login(t, CEM.email, 'not the one-time password')).rejects.toThrow(/401/);
    // A new reset works again.
    const again = (await api(t, admin, 'POST', `/agents/${cem.id}/password`)).json;
    expect(await login(t, CEM.email, again.oneTimePassword)).toBeTruthy();
  });

  it('is for admins, about colleagues: not one’s own password, not unknown agents', async () => {
    const cem = await t.running.services.agents.create(CEM);
    const admin = await login(t);
    const me = (await api(t, admin, 'GET', '/me')).json.agent;
    expect((await api(t, admin, 'POST', `/agents/${me.id}/password`)).status).toBe(403);
    expect((await api(t, admin, 'POST', '/agents/00000000-0000-4000-8000-000000000000/password')).status).toBe(404);
    const cemCookie = await login(t, CEM.email, CEM.password);
    expect((await api(t, cemCookie, 'POST', `/agents/${cem.id}/password`)).status).toBe(403);
    expect(await login(t, ADMIN.email, ADMIN.password)).toBeTruthy();
  });
});
