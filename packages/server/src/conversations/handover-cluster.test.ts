import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { agent, api, login, startTestCluster, visitor, type TestCluster, type TestServer } from '../test-support/harness.js';

// Handover, notes, availability and the requeue job between two processes (PostgreSQL + Redis).

let cluster: TestCluster;
afterEach(async () => {
  await cluster?.stop();
});

const PASSWORD = 'a long enough password';

describe.skipIf(TEST_DATABASE !== 'postgres')('counsellor work across processes', () => {
  it('hands a conversation held on one process to a colleague connected to the other, with the note; availability and requeue follow', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const aylin = await a.running.services.agents.create({ email: 'a@example.org', name: 'Aylin', password: PASSWORD, role: 'counsellor', languages: ['de', 'ps'] });
    const bilal = await a.running.services.agents.create({ email: 'b@example.org', name: 'Bilal', password: PASSWORD, role: 'counsellor', languages: ['ps'] });
    const [cookieA, cookieB] = [await login(a, 'a@example.org', PASSWORD), await login(b, 'b@example.org', PASSWORD)];
    const consoleA = await agent(a, cookieA);
    const consoleB = await agent(b, cookieB);
    const v = await visitor(a, { language: 'ps' });
    const seen: string[] = [];
    v.client.ws.on('message', (data) => seen.push(String(data)));
    v.client.send({ type: 'send', clientId: 'ps-000001', body: 'سلام' });
    const id = (await v.client.next('ack')).message.conversationId;
    expect((await api(a, cookieA, 'POST', `/conversations/${id}/claim`)).status).toBe(200);

    // Transferred on process a; the colleague's console on process b hears it with the note.
    const moved = await api(a, cookieA, 'POST', `/conversations/${id}/transfer`, { to: { kind: 'agent', agentId: bilal.id }, note: 'Bitte übernehmen, Notiz-X' });
    expect(moved.status).toBe(200);
    expect(await consoleB.next('handover', (f) => f.conversationId === id)).toMatchObject({ fromAgentName: 'Aylin', note: { body: 'Bitte übernehmen, Notiz-X', internal: true } });
    expect((await consoleB.next('conversation', (f) => f.conversation.id === id && f.conversation.agentId === bilal.id)).conversation.firstMessage).toBe('سلام');
    expect((await consoleA.next('conversation', (f) => f.conversation.id === id && f.conversation.agentId === bilal.id)).conversation.firstMessage).toBeNull();
    // The whole history, read on process b.
    expect((await api(b, cookieB, 'GET', `/conversations/${id}`)).json.messages.map((m: { body: string }) => m.body)).toEqual(['سلام', 'claimed', 'transferred']);
    consoleB.send({ type: 'send', conversationId: id, clientId: 'b-reply-01', body: 'زه دلته یم' });
    await consoleB.next('ack');
    expect((await v.client.next('message', (f) => f.message.body === 'زه دلته یم')).message.agentName).toBe('Bilal');
    // A note written on b reaches the holder's console, never the visitor on a.
    expect((await api(b, cookieB, 'POST', `/conversations/${id}/notes`, { body: 'Notiz-Y' })).status).toBe(201);
    expect((await consoleB.next('note', (f) => f.note.body === 'Notiz-Y')).note.kind).toBe('note');
    consoleB.send({ type: 'ping' });
    await consoleB.next('pong');
    expect(seen.join('\n')).not.toMatch(/Notiz-[XY]/);

    // Availability set on b: "someone is online" on a follows once nobody is available.
    await api(a, cookieA, 'PUT', '/availability', { availability: 'away' });
    await api(b, cookieB, 'PUT', '/availability', { availability: 'away' });
    await v.client.next('presence', (f) => f.agentsOnline === false);
    await api(b, cookieB, 'PUT', '/availability', { availability: 'available' });
    await v.client.next('presence', (f) => f.agentsOnline === true);

    // Bilal leaves for good; the job on process a puts his conversation back (once, though both run it).
    await consoleB.close();
    // Process b has let go of his socket, and a "seen" refresh it started before cannot land after
    // the backdating below (it would make him look connected to the job).
    await vi.waitFor(() => expect([...b.running.hub.registry.agent(bilal.id)]).toHaveLength(0));
    await new Promise((r) => setTimeout(r, 100));
    const { db } = a.running.services;
    await db.updateTable('agent_status').set({ last_seen_at: Date.now() - 3_600_000 }).where('agent_id', '=', bilal.id).execute();
    await db.updateTable('conversations').set({ held_since: Date.now() - 3_600_000 }).where('id', '=', id).execute();
    const runs = await Promise.all([a.running.services.requeue.run(), b.running.services.requeue.run()]);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(1);
    expect((await v.client.next('message', (f) => f.message.body === 'requeued')).message.author).toBe('system');
    expect((await api(a, cookieA, 'GET', `/conversations/${id}`)).json.conversation).toMatchObject({ status: 'waiting', agentId: null });
    expect(aylin.id).toBeTruthy();
    await Promise.all([v.client.close(), consoleA.close()]);
  });
});
