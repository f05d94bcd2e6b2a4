import { Redis } from 'ioredis';
import * as OTPAuth from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { agent, api, FrameClient, login, startTestCluster, visitor, wsUrl, type TestCluster, type TestServer, type VisitorClient } from '../test-support/harness.js';

// Two DiReturn servers on one PostgreSQL database and one Redis, as two processes behind a load
// balancer: whoever is connected where, they behave as one. (Real processes behind nginx: test/cluster.)
const REDIS_URL = process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let cluster: TestCluster;
afterEach(async () => {
  await cluster?.stop();
});

async function secondCounsellor(t: TestServer, email = 'b@example.org'): Promise<string> {
  await t.running.services.agents.create({ email, name: 'Berna', password: 'another long password', role: 'counsellor', languages: ['tr', 'de'] });
  return login(t, email, 'another long password');
}

async function send(v: VisitorClient, clientId: string, body: string) {
  v.send({ type: 'send', clientId, body });
  return (await v.next('ack', (f) => f.clientId === clientId)).message;
}

describe.skipIf(TEST_DATABASE !== 'postgres')('several processes on PostgreSQL and Redis', () => {
  it('carries messages, typing, read marks and status between a visitor on one process and the counsellor on the other', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(b);
    const console = await agent(b, cookie);
    const v = await visitor(a, { language: 'ar' });

    const first = await send(v.client, 'cross-0001', 'مرحبا من العملية الأولى');
    const queued = await console.next('conversation', (f) => f.conversation.status === 'waiting' && f.conversation.lastSeq === 1);
    expect(queued.conversation).toMatchObject({ id: first.conversationId, firstMessage: 'مرحبا من العملية الأولى', language: 'ar' });
    const id = first.conversationId;

    expect((await api(b, cookie, 'POST', `/conversations/${id}/claim`)).status).toBe(200);
    expect((await v.client.next('conversation', (f) => f.conversation.status === 'active')).conversation).toMatchObject({ agentName: 'Admin' });
    expect((await v.client.next('message')).message).toMatchObject({ author: 'system', body: 'claimed', seq: 2 });

    console.send({ type: 'typing', conversationId: id, active: true });
    expect(await v.client.next('typing')).toMatchObject({ author: 'agent', active: true });
    v.client.send({ type: 'typing', active: true });
    expect(await console.next('typing')).toMatchObject({ conversationId: id, author: 'visitor', active: true });

    console.send({ type: 'send', conversationId: id, clientId: 'reply-0001', body: 'Antwort von der zweiten' });
    const reply = await console.next('ack');
    expect((await v.client.next('message')).message).toMatchObject({ id: reply.message.id, seq: 3, body: 'Antwort von der zweiten', agentName: 'Admin' });
    expect(await v.client.next('read')).toMatchObject({ by: 'agent', seq: 3 });

    const again = await send(v.client, 'cross-0002', 'Danke');
    expect((await console.next('message', (f) => f.message.author === 'visitor')).message).toMatchObject({ id: again.id, seq: 4, body: 'Danke' });
    v.client.send({ type: 'read', seq: 3 });
    expect(await console.next('read', (f) => f.by === 'visitor')).toMatchObject({ conversationId: id, seq: 3 });

    expect((await api(b, cookie, 'POST', `/conversations/${id}/close`)).status).toBe(200);
    expect((await v.client.next('conversation', (f) => f.conversation.status === 'closed')).conversation.id).toBe(id);
    await Promise.all([v.client.close(), console.close()]);
  });

  it('says a counsellor is online when one is connected to any process, and no longer when they leave', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const v = await visitor(a);
    expect(v.client.frames.find((f) => f.type === 'presence')).toBeUndefined();
    const console = await agent(b, await login(b));
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    // A visitor arriving on the other process hears it in its welcome.
    const late = await FrameClient.open(wsUrl(a.url, '/ws/visitor'));
    late.send({ type: 'hello', site: 'demo', origin: a.origin, language: 'de' });
    expect(await late.next('welcome')).toMatchObject({ agentsOnline: true });
    await console.close();
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    await Promise.all([v.client.close(), late.close()]);
  });

  it('gives a conversation to exactly one of two counsellors who click at once on different processes', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const [ca, cb] = [await login(a), await secondCounsellor(b)];
    for (let round = 0; round < 5; round++) {
      const v = await visitor(a);
      const { conversationId: id } = await send(v.client, `race-000${round}`, `Frage ${round}`);
      const results = await Promise.all([api(a, ca, 'POST', `/conversations/${id}/claim`), api(b, cb, 'POST', `/conversations/${id}/claim`)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.json.error.code).toBe('conversation_taken');
      await v.client.close();
    }
  });

  it('lets a visitor who reconnects to the other process resume from its last sequence number, missing nothing', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(a);
    const console = await agent(a, cookie);
    const v = await visitor(a);
    const first = await send(v.client, 'resume-0001', 'eins');
    await api(a, cookie, 'POST', `/conversations/${first.conversationId}/claim`);
    await v.client.next('message', (f) => f.message.seq === 2);
    await v.client.close();
    // While the visitor is away, the counsellor answers twice.
    for (const body of ['zwei', 'drei']) {
      console.send({ type: 'send', conversationId: first.conversationId, clientId: `answer-${body}`, body });
      await console.next('ack');
    }
    const back = (await FrameClient.open(wsUrl(b.url, '/ws/visitor'))) as VisitorClient;
    back.send({ type: 'hello', site: 'demo', origin: b.origin, language: 'de', token: v.token, lastSeq: 2 });
    const welcome = (await back.next('welcome')) as unknown as { visitorId: string; messages: Array<{ seq: number; body: string }> };
    expect(welcome.visitorId).toBe(v.visitorId);
    expect(welcome.messages.map((m) => [m.seq, m.body])).toEqual([
      [3, 'zwei'],
      [4, 'drei'],
    ]);
    // A resend of an acknowledged message through the other process is recognised, not doubled.
    back.send({ type: 'send', clientId: 'resume-0001', body: 'eins' });
    expect((await back.next('ack')).message).toMatchObject({ id: first.id, seq: 1 });
    await Promise.all([back.close(), console.close()]);
  });

  it('deletes on one process and tells consoles and sockets on the other; ends sessions wherever their sockets are', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(b);
    const console = await agent(b, cookie);
    const v = await visitor(a);
    const second = await FrameClient.open(wsUrl(b.url, '/ws/visitor'));
    second.send({ type: 'hello', site: 'demo', origin: b.origin, language: 'de', token: v.token });
    await second.next('welcome');
    const { conversationId } = await send(v.client, 'delete-0001', 'Bitte löschen');
    await console.next('conversation', (f) => f.conversation.id === conversationId);

    v.client.send({ type: 'delete' });
    expect(await console.next('conversation-deleted', (f) => f.conversationId === conversationId)).toBeTruthy();
    expect(await second.next('deleted')).toEqual({ type: 'deleted' });
    expect((await second.closed).code).toBe(4410);

    // Logging out through process A closes the console socket held by process B.
    expect((await api(a, cookie, 'POST', '/auth/logout')).status).toBeLessThan(300);
    expect((await console.closed).code).toBe(4401);
  });

  it("opens one conversation when a visitor's first two messages arrive at two processes at once", async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    for (let round = 0; round < 5; round++) {
      const v = await visitor(a);
      const other = (await FrameClient.open(wsUrl(b.url, '/ws/visitor'))) as VisitorClient;
      other.send({ type: 'hello', site: 'demo', origin: b.origin, language: 'de', token: v.token });
      await other.next('welcome');
      const [one, two] = await Promise.all([send(v.client, `both-a-${round}000`, 'von A'), send(other, `both-b-${round}000`, 'von B')]);
      expect(one.conversationId).toBe(two.conversationId);
      expect([one.seq, two.seq].sort()).toEqual([1, 2]);
      await Promise.all([v.client.close(), other.close()]);
    }
  });

  it('makes the clients of a process whose bus was interrupted reconnect, so they catch up from the database', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const console = await agent(b, await login(b));
    const admin = new Redis(REDIS_URL);
    try {
      const clients = String(await admin.client('LIST')).split('\n');
      const sub = clients.find((l) => l.includes(`name=${cluster.redisPrefix}-sub`) && l.includes(`laddr=`) && l.includes('sub=1'));
      expect(sub).toBeDefined();
      // Both processes' subscriptions carry the same name: kill them all; each process recovers alone.
      const ids = clients.filter((l) => l.includes(`name=${cluster.redisPrefix}-sub`)).map((l) => /id=(\d+)/.exec(l)![1]!);
      for (const id of ids) await admin.client('KILL', 'ID', id);
      expect((await console.closed).code).toBe(1012);
      // …and works again afterwards.
      const again = await agent(b, await login(b));
      const v = await visitor(a);
      v.client.send({ type: 'send', clientId: 'after-0001', body: 'wieder da' });
      await v.client.next('ack');
      expect((await again.next('conversation')).conversation.firstMessage).toBe('wieder da');
      await Promise.all([v.client.close(), again.close()]);
    } finally {
      admin.disconnect();
    }
  });

  it('holds the per-client connection limit across processes', async () => {
    cluster = await startTestCluster({ env: { DIRETURN_CLIENT_CONNECTIONS_PER_MINUTE: '2' } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const ok = [await visitor(a), await visitor(b)];
    const third = await FrameClient.open(wsUrl(a.url, '/ws/visitor'));
    third.send({ type: 'hello', site: 'demo', origin: a.origin, language: 'de' });
    expect(await third.next('error')).toMatchObject({ code: 'rate_limited' });
    expect((await third.closed).code).toBe(4429);
    await Promise.all(ok.map((v) => v.client.close()));
  });

  it('runs the retention job once per interval for the whole installation', async () => {
    cluster = await startTestCluster({ env: { DIRETURN_RETENTION_DAYS: '1' } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(a);
    const v = await visitor(a);
    const { conversationId } = await send(v.client, 'retain-0001', 'alt');
    await v.client.close();
    await api(a, cookie, 'POST', `/conversations/${conversationId}/close`);
    await a.running.services.db.updateTable('conversations').set({ closed_at: Date.now() - 2 * 86_400_000 }).where('id', '=', conversationId).execute();
    // Both processes claimed their start-up run already; a new interval begins.
    await a.running.services.cluster.store.delete('once:retention');
    const results = await Promise.all([a.running.services.retention.tick(60_000), b.running.services.retention.tick(60_000)]);
    expect(results.filter((r) => r !== undefined)).toEqual([{ conversations: 1, visitors: 0, auditEntries: 0, searchMisses: 0 }]);
    expect(await b.running.services.retention.tick(60_000)).toBeUndefined(); // same interval: skipped
    const traces = await a.running.services.db.selectFrom('audit_log').select('id').where('action', '=', 'retention.deleted').execute();
    expect(traces).toHaveLength(1);
  });

  it('throttles password guesses spread over both processes as one, and completes a second-factor login on the other process', async () => {
    cluster = await startTestCluster({ env: { DIRETURN_TRUST_PROXY: 'true' } });
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const post = (node: TestServer, path: string, body: unknown, from = '198.51.100.7') =>
      fetch(`${node.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as any,
      }));
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i % 2 ? a : b, '/auth/login', { email: 'admin@example.org', password: `wrong guess ${i}!` })));
    const checked = guesses.filter((g) => g.status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(7); // per account and client: counted before checking, whichever process answers
    expect(guesses.filter((g) => g.status === 429).length).toBe(40 - checked);

    // The second factor: challenge from process A, code answered by process B.
    const cookie = await login(a);
    const setup = await api(a, cookie, 'POST', '/me/totp/setup');
    const code = (offset = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.json.secret) }).generate({ timestamp: Date.now() + offset * 30_000 });
    expect((await api(a, cookie, 'POST', '/me/totp/enable', { code: code() })).status).toBe(200);
    const step1 = await post(a, '/auth/login', { email: 'admin@example.org', password: 'correct horse battery staple' }, '198.51.100.8');
    expect(step1.json).toMatchObject({ totpRequired: true });
    const step2 = await post(b, '/auth/login/totp', { challenge: step1.json.challenge, code: code(1) }, '198.51.100.8');
    expect(step2.status).toBe(200);
    // used up on both
    expect((await post(a, '/auth/login/totp', { challenge: step1.json.challenge, code: code(1) }, '198.51.100.8')).status).toBe(401);
  });

  it('applies a settings change made on one process on the other at once', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(a);
    expect((await api(a, cookie, 'PATCH', '/settings', { retentionDays: 21 })).status).toBe(200);
    await expect.poll(() => b.running.services.settings.retentionDays, { timeout: 3000 }).toBe(21);
  });

  it('puts only ids and sequence numbers on the bus, never what a person wrote or where they were', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const spy = new Redis(REDIS_URL);
    const seen: string[] = [];
    spy.on('message', (_channel: string, raw: string) => seen.push(raw));
    await spy.subscribe(`${cluster.redisPrefix}:bus`);
    try {
      const cookie = await login(b);
      const console = await agent(b, cookie);
      const v = await visitor(a, { pageUrl: 'https://partner.example/page-secret-9c1' });
      const { conversationId } = await send(v.client, 'secret-0001', 'Text-Geheimnis-5e2');
      await api(b, cookie, 'POST', `/conversations/${conversationId}/claim`);
      console.send({ type: 'send', conversationId, clientId: 'secret-0002', body: 'Antwort-Geheimnis-7d4' });
      await v.client.next('message', (f) => f.message.author === 'agent');
      await Promise.all([v.client.close(), console.close()]);
      await expect.poll(() => seen.some((r) => r.includes('"kind":"message"') && r.includes('"seq":3')), { timeout: 3000 }).toBe(true);
      const all = seen.join('\n');
      for (const secret of ['Text-Geheimnis-5e2', 'Antwort-Geheimnis-7d4', 'page-secret-9c1', v.token]) expect(all).not.toContain(secret);
    } finally {
      spy.disconnect();
    }
  });
});
