import { afterEach, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import WebSocket from 'ws';
import { LIMITS } from '@direturn/protocol';
import {
  agent,
  api,
  countRows,
  FrameClient,
  login,
  startTestServer,
  visitor,
  wsUrl,
  type AgentClient,
  type TestServer,
  type VisitorClient,
} from '../test-support/harness.js';
import { hashSecret } from '../shared/ids.js';

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});

const COUNSELLOR = { email: 'c@example.org', name: 'Cem', password: 'a long enough password', role: 'counsellor' as const, languages: ['de' as const] };

/** The HTTP status of a refused upgrade, or 101 when it went through. */
function upgradeStatus(url: string, options: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => (ws.close(), resolve(101)));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

async function visitorFrom(url: string, origin: string | undefined): Promise<VisitorClient> {
  const client = (await FrameClient.open(wsUrl(url, '/ws/visitor'), {}, origin ? { origin } : {})) as VisitorClient;
  client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de' });
  return client;
}

describe('socket origins', () => {
  it("refuses a visitor socket opened by a page that is not DiReturn's chat frame, whatever hello claims", async () => {
    t = await startTestServer();
    const port = new URL(t.url).port;
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${port}`]) {
      const client = await visitorFrom(t.url, origin);
      expect(await client.next('error'), origin).toMatchObject({ code: 'origin_not_allowed' });
      expect((await client.closed).code, origin).toBe(4403);
    }
    expect(await countRows(t, 'visitors')).toBe(0);

    // DiReturn's own origin, the address the request went to, and non-browser clients (no Origin).
    for (const [url, origin] of [
      [t.url, t.origin],
      [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [t.url, undefined],
    ] as const) {
      const client = await visitorFrom(url, origin);
      expect((await client.next('welcome')).token, String(origin)).toBeTruthy();
      await client.close();
    }
  });

  it('accepts the public URL as origin behind a proxy, for visitors and agents', async () => {
    t = await startTestServer({ env: { DIRETURN_PUBLIC_URL: 'https://chat.example.org' } });
    const client = await visitorFrom(t.url, 'https://chat.example.org');
    await client.next('welcome');
    await client.close();

    const cookie = await login(t);
    expect(await upgradeStatus(wsUrl(t.url, '/ws/agent'), { headers: { cookie }, origin: 'https://chat.example.org' })).toBe(101);
    expect(await upgradeStatus(wsUrl(t.url, '/ws/agent'), { headers: { cookie }, origin: 'https://other.example.org' })).toBe(403);
  });

  it('refuses an agent socket from a foreign or opaque origin even with a valid cookie', async () => {
    t = await startTestServer();
    const cookie = await login(t);
    const url = wsUrl(t.url, '/ws/agent');
    const port = new URL(t.url).port;
    expect(await upgradeStatus(url, { headers: { cookie }, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { headers: { cookie }, origin: 'null' })).toBe(403);
    expect(await upgradeStatus(url, { headers: { cookie }, origin: `chrome-extension://localhost:${port}` })).toBe(403);
    expect(await upgradeStatus(url, { headers: { cookie }, origin: t.origin })).toBe(101);
    expect(await upgradeStatus(url, { headers: { cookie } })).toBe(101);
  });
});

describe('unauthenticated garbage', () => {
  it('answers a malformed session cookie with 401 on the agent socket and the API, without an error log line', async () => {
    const logs: string[] = [];
    t = await startTestServer({ logs });
    for (const cookie of ['direturn_session=%E0%A4%A', 'direturn_session=%', 'direturn_session=%zz; other=1']) {
      expect(await upgradeStatus(wsUrl(t.url, '/ws/agent'), { headers: { cookie }, origin: t.origin }), cookie).toBe(401);
      expect((await api(t, cookie, 'GET', '/me')).status, cookie).toBe(401);
    }
    const errors = logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });
});

describe('oversized frames', () => {
  it('answers frames over the protocol limit with too_large without handling them; closes above the hard cap', async () => {
    t = await startTestServer();
    const cookie = await login(t);
    const console = await agent(t, cookie);
    const conversationId = '00000000-0000-4000-8000-000000000000';
    const frame = (size: number) => {
      const base = JSON.stringify({ type: 'send', conversationId, clientId: 'big-0001', body: '' });
      return base.replace('"body":""', `"body":"${'x'.repeat(size - base.length)}"`);
    };
    // Just over the limit: refused before parsing (a handled send would answer not_found).
    console.send(frame(LIMITS.frameMaxBytes + 1));
    expect(await console.next('error')).toMatchObject({ code: 'too_large', message: expect.stringContaining(String(LIMITS.frameMaxBytes)) });
    // Up to the hard cap still gets the error frame, and the socket stays usable.
    console.send(frame(4 * LIMITS.frameMaxBytes));
    expect((await console.next('error')).code).toBe('too_large');
    console.send({ type: 'ping' });
    await console.next('pong');
    expect(console.frames.filter((f) => f.type === 'error')).toEqual([]);
    console.send(frame(4 * LIMITS.frameMaxBytes + 1));
    expect((await console.closed).code).toBe(1009);

    const { client } = await visitor(t);
    client.send({ type: 'send', clientId: 'big-0002', body: 'y'.repeat(4 * LIMITS.frameMaxBytes - 100) });
    expect(await client.next('error')).toMatchObject({ code: 'too_large' });
    expect(await countRows(t, 'messages')).toBe(0);
    await client.close();
  });
});

describe('agent sockets end with their session (4401)', () => {
  async function counsellor(): Promise<{ admin: string; id: string }> {
    const admin = await login(t);
    const created = await api(t, admin, 'POST', '/agents', COUNSELLOR);
    return { admin, id: created.json.agent.id };
  }
  const signIn = () => login(t, COUNSELLOR.email, COUNSELLOR.password);
  async function stillOpen(socket: AgentClient): Promise<void> {
    socket.send({ type: 'ping' });
    await socket.next('pong');
  }

  it('on logout: only the sockets of that session', async () => {
    t = await startTestServer();
    await counsellor();
    const [laptop, phone] = [await signIn(), await signIn()];
    const [a, b] = [await agent(t, laptop), await agent(t, phone)];
    expect((await api(t, laptop, 'POST', '/auth/logout')).status).toBe(204);
    expect(await a.closed).toMatchObject({ code: 4401, reason: 'session ended' });
    await stillOpen(b);
    await b.close();
  });

  it('when an admin revokes the sessions or disables the agent', async () => {
    t = await startTestServer();
    const { admin, id } = await counsellor();
    const revoked = await agent(t, await signIn());
    expect((await api(t, admin, 'DELETE', `/agents/${id}/sessions`)).status).toBe(204);
    expect((await revoked.closed).code).toBe(4401);

    const disabled = await agent(t, await signIn());
    expect((await api(t, admin, 'PATCH', `/agents/${id}`, { disabled: true })).status).toBe(200);
    expect((await disabled.closed).code).toBe(4401);
  });

  it('when the session expires by inactivity, or vanished without an event', async () => {
    t = await startTestServer();
    await counsellor();
    const [expiring, vanishing, live] = [await signIn(), await signIn(), await signIn()];
    const sockets = { expiring: await agent(t, expiring), vanishing: await agent(t, vanishing), live: await agent(t, live) };
    const { db } = t.running.services;
    // No request has slid the session since the upgrade; now its expiry passes.
    await db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id', '=', sessionOf(expiring)).execute();
    await db.deleteFrom('sessions').where('id', '=', sessionOf(vanishing)).execute();
    await t.running.hub.checkSessions(); // what the heartbeat runs every 30 s
    expect((await sockets.expiring.closed).code).toBe(4401);
    expect((await sockets.vanishing.closed).code).toBe(4401);
    await stillOpen(sockets.live);
    await sockets.live.close();
  });

  it('slides the session of a counsellor who works only over the socket; frames the console sends by itself do not count', async () => {
    t = await startTestServer();
    await counsellor();
    const [working, idle] = [await signIn(), await signIn()];
    const sockets = { working: await agent(t, working), idle: await agent(t, idle) };
    const { db } = t.running.services;
    const soon = Date.now() + 5_000;
    // The working counsellor types an answer in a conversation they took.
    const v = await visitor(t);
    v.client.send({ type: 'send', clientId: 'slide-0001', body: 'Hallo' });
    const id = (await v.client.next('ack')).message.conversationId;
    expect((await api(t, working, 'POST', `/conversations/${id}/claim`)).status).toBe(200);
    await db.updateTable('sessions').set({ expires_at: soon }).where('id', 'in', [sessionOf(working), sessionOf(idle)]).execute();
    sockets.working.send({ type: 'typing', conversationId: id, active: true });
    await v.client.next('typing');
    // The same counsellor's other, idle tab only pings and syncs, as consoles do by themselves.
    sockets.idle.send({ type: 'ping' });
    await sockets.idle.next('pong');
    sockets.idle.send({ type: 'sync', conversationId: id, afterSeq: 1 });
    await sockets.idle.next('synced');
    await t.running.hub.checkSessions();
    const expiry = async (cookie: string) =>
      Number((await db.selectFrom('sessions').select('expires_at').where('id', '=', sessionOf(cookie)).executeTakeFirstOrThrow()).expires_at);
    expect(await expiry(working)).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(await expiry(idle)).toBe(soon);
    await Promise.all([sockets.working.close(), sockets.idle.close(), v.client.close()]);
  });

  it('when 2FA becomes required: a counsellor without it is closed at once and reads nothing more; enrolled agents stay', async () => {
    t = await startTestServer();
    const { admin } = await counsellor();
    const v = await visitor(t);
    v.client.send({ type: 'send', clientId: 'totp-0001', body: 'Hallo' });
    const id = (await v.client.next('ack')).message.conversationId;
    const without = await agent(t, await signIn());
    const setup = await api(t, admin, 'POST', '/me/totp/setup');
    await api(t, admin, 'POST', '/me/totp/enable', { code: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json.secret) }).generate() });
    const enrolled = await agent(t, admin);

    expect((await api(t, admin, 'PATCH', '/settings', { requireTotp: true })).status).toBe(200);
    // A sync right behind the change gets no messages.
    without.send({ type: 'sync', conversationId: id, afterSeq: 0 });
    expect(await without.closed).toMatchObject({ code: 4403, reason: 'totp_setup_required' });
    expect(without.frames.filter((f) => f.type === 'synced')).toEqual([]);
    await stillOpen(enrolled);
    // ...and its reconnect is refused, as at connect.
    await expect(agent(t, await signIn())).rejects.toThrow('HTTP 403');
    await Promise.all([enrolled.close(), v.client.close()]);
  });

  it('when the role changes or the account is disabled, also when made outside this process (found by the heartbeat check)', async () => {
    t = await startTestServer();
    const { admin, id } = await counsellor();
    const promoted = await agent(t, await signIn());
    expect((await api(t, admin, 'PATCH', `/agents/${id}`, { role: 'admin' })).status).toBe(200);
    expect((await promoted.closed).code).toBe(4401);

    const { db } = t.running.services;
    const [demoted, otherTab] = [await agent(t, await signIn()), await agent(t, await signIn())];
    await db.updateTable('agents').set({ role: 'counsellor' }).where('id', '=', id).execute();
    await t.running.hub.checkSessions();
    expect((await demoted.closed).code).toBe(4401);
    expect((await otherTab.closed).code).toBe(4401);
    const again = await agent(t, await signIn());
    await db.updateTable('agents').set({ disabled_at: Date.now() }).where('id', '=', id).execute();
    await t.running.hub.checkSessions();
    expect((await again.closed).code).toBe(4401);
  });

  /** The session id behind a cookie: the hash of its secret. */
  const sessionOf = (cookie: string): string => hashSecret(decodeURIComponent(cookie.split('=')[1]!));
});

describe('conversation language', () => {
  it("follows the visitor's language switch: stored, in the queue and live in the console", async () => {
    t = await startTestServer();
    const cookie = await login(t);
    const console = await agent(t, cookie);
    const v = await visitor(t, { language: 'de' });
    v.client.send({ type: 'send', clientId: 'lang-0001', body: 'Hallo' });
    const id = (await v.client.next('ack')).message.conversationId;
    await console.next('conversation', (f) => f.conversation.id === id && f.conversation.language === 'de');

    v.client.send({ type: 'language', language: 'ar' });
    expect((await console.next('conversation', (f) => f.conversation.language === 'ar')).conversation).toMatchObject({ id, status: 'waiting' });
    const waiting = await api(t, cookie, 'GET', '/conversations?status=waiting');
    expect(waiting.json.conversations.find((c: { id: string }) => c.id === id).language).toBe('ar');
    const row = await t.running.services.db.selectFrom('visitors').select('language').where('id', '=', v.visitorId).executeTakeFirstOrThrow();
    expect(row.language).toBe('ar');

    // Coming back in another language (reload after switching) counts the same.
    await v.client.close();
    const again = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
    again.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'fa', token: v.token });
    await again.next('welcome');
    expect((await console.next('conversation', (f) => f.conversation.language === 'fa')).conversation.id).toBe(id);

    // A closed conversation keeps the language it was held in.
    await api(t, cookie, 'POST', `/conversations/${id}/claim`);
    await api(t, cookie, 'POST', `/conversations/${id}/close`);
    again.send({ type: 'language', language: 'en' });
    again.send({ type: 'ping' });
    await again.next('pong');
    expect((await api(t, cookie, 'GET', `/conversations/${id}`)).json.conversation.language).toBe('fa');
    await again.close();
    await console.close();
  });

  it('tells only the assignee about a taken conversation changing language', async () => {
    t = await startTestServer();
    const admin = await login(t);
    await api(t, admin, 'POST', '/agents', COUNSELLOR);
    const assignee = await agent(t, admin);
    const other = await agent(t, await login(t, COUNSELLOR.email, COUNSELLOR.password));
    const v = await visitor(t, { language: 'de' });
    v.client.send({ type: 'send', clientId: 'lang-0002', body: 'Hallo' });
    const id = (await v.client.next('ack')).message.conversationId;
    await api(t, admin, 'POST', `/conversations/${id}/claim`);
    await other.next('conversation', (f) => f.conversation.status === 'active');

    v.client.send({ type: 'language', language: 'uk' });
    await assignee.next('conversation', (f) => f.conversation.language === 'uk');
    other.send({ type: 'ping' });
    await other.next('pong');
    expect(other.frames.filter((f) => f.type === 'conversation' && f.conversation.language === 'uk')).toEqual([]);
    await Promise.all([v.client.close(), assignee.close(), other.close()]);
  });
});

describe('conversation summaries', () => {
  it('give a taken conversation\'s first message and page only to those who may still read it', async () => {
    t = await startTestServer();
    const admin = await login(t);
    await api(t, admin, 'POST', '/agents', COUNSELLOR);
    const counsellor = await login(t, COUNSELLOR.email, COUNSELLOR.password);
    const other = await agent(t, counsellor);
    const v = await visitor(t, { language: 'de', pageUrl: 'https://partner.example/hilfe' });
    v.client.send({ type: 'send', clientId: 'taken-0001', body: 'Ich habe Angst vor der Ausländerbehörde' });
    const id = (await v.client.next('ack')).message.conversationId;
    // While it waits, every counsellor sees it in full (to choose one).
    expect((await other.next('conversation', (f) => f.conversation.id === id)).conversation.firstMessage).toContain('Angst');

    const adminSocket = await agent(t, admin);
    await api(t, admin, 'POST', `/conversations/${id}/claim`);
    const seenByOther = (await other.next('conversation', (f) => f.conversation.status === 'active')).conversation;
    expect(seenByOther).toMatchObject({ id, status: 'active', firstMessage: null, pageUrl: null });
    const seenByAssignee = (await adminSocket.next('conversation', (f) => f.conversation.status === 'active')).conversation;
    expect(seenByAssignee).toMatchObject({ id, firstMessage: 'Ich habe Angst vor der Ausländerbehörde', pageUrl: 'https://partner.example/hilfe' });
    await Promise.all([v.client.close(), other.close(), adminSocket.close()]);
  });
});

