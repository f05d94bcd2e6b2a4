import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, login, startTestServer, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.stop();
});

describe('PATCH /api/me (own languages)', () => {
  it('changes only the languages of the agent who asks, and audits it', async () => {
    await t.running.services.agents.create({ email: 'c@example.org', name: 'Cem', password: 'a long enough password', role: 'counsellor', languages: ['de'] });
    const counsellor = await login(t, 'c@example.org', 'a long enough password');
    const res = await api(t, counsellor, 'PATCH', '/me', { languages: ['ar', 'de', 'ar'] });
    expect(res.status).toBe(200);
    expect(res.json.agent).toMatchObject({ email: 'c@example.org', role: 'counsellor', languages: ['ar', 'de'] });
    expect((await api(t, counsellor, 'GET', '/me')).json.agent.languages).toEqual(['ar', 'de']);

    const admin = await login(t);
    expect((await api(t, admin, 'GET', '/me')).json.agent.languages).not.toEqual(['ar', 'de']);
    const entries = (await api(t, admin, 'GET', '/audit')).json.entries as Array<{ action: string; agentId: string; targetAgentId: string; details: unknown }>;
    const own = entries.find((e) => e.action === 'agent.updated');
    expect(own).toMatchObject({ agentId: res.json.agent.id, targetAgentId: res.json.agent.id, details: { languages: true } });
  });

  it('ignores role and name and refuses bad input and anonymous callers', async () => {
    const admin = await login(t);
    const me = (await api(t, admin, 'GET', '/me')).json.agent;
    expect((await api(t, admin, 'PATCH', '/me', { languages: [] })).status).toBe(400);
    expect((await api(t, admin, 'PATCH', '/me', { languages: ['xx'] })).status).toBe(400);
    expect((await api(t, admin, 'PATCH', '/me', {})).status).toBe(400);
    expect((await api(t, undefined, 'PATCH', '/me', { languages: ['de'] })).status).toBe(401);
    const res = await api(t, admin, 'PATCH', '/me', { languages: ['ru'], role: 'counsellor', name: 'Mallory' });
    expect(res.json.agent).toMatchObject({ role: 'admin', name: me.name, languages: ['ru'] });
  });
});
