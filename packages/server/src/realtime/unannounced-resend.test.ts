import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../test-support/databases.js';
import { agent, api, FrameClient, login, startTestCluster, visitor, wsUrl, type TestCluster, type TestServer, type VisitorClient } from '../test-support/harness.js';

// A process can die (SIGKILL) after a message's COMMIT and before it announced the message on the
// bus and acknowledged it. The sender resends it through another process, which finds it stored:
// that process must announce it, or the reader on a third socket never hears of it live
// (test/e2e/cluster.test.ts hit this with a real SIGKILL).

let cluster: TestCluster;
afterEach(async () => {
  await cluster?.stop();
});

/** Runs `write` on a process as if it died right after the COMMIT: stored, never announced. */
async function storedButNotAnnounced<T>(t: TestServer, write: () => Promise<T>): Promise<T> {
  const events = t.running.services.conversations.events;
  const emit = events.emit;
  events.emit = () => undefined;
  try {
    return await write();
  } finally {
    events.emit = emit;
  }
}

describe.skipIf(TEST_DATABASE !== 'postgres')('a resend of a message whose process died before announcing it', () => {
  it('reaches the counsellor when the visitor resends through the other process', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(b);
    const console = await agent(b, cookie);
    const v = await visitor(a);
    v.client.send({ type: 'send', clientId: 'unannounced-0001', body: 'eins' });
    const { conversationId } = (await v.client.next('ack')).message;
    expect((await api(b, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);

    const row = await a.running.services.db.selectFrom('visitors').selectAll().where('id', '=', v.visitorId).executeTakeFirstOrThrow();
    const stored = await storedButNotAnnounced(a, () =>
      a.running.services.conversations.visitorSend(row, { clientId: 'unannounced-0002', body: 'zwei', language: 'de' }),
    );
    await v.client.close();

    const back = (await FrameClient.open(wsUrl(b.url, '/ws/visitor'))) as VisitorClient;
    back.send({ type: 'hello', site: 'demo', origin: b.origin, language: 'de', token: v.token });
    await back.next('welcome');
    back.send({ type: 'send', clientId: 'unannounced-0002', body: 'zwei' });
    expect((await back.next('ack')).message).toMatchObject({ id: stored.message.id, seq: 3 });
    // Filter by id: under load the announcement of 'eins' can reach this process after the claim,
    // and then the holder rightly hears of it first.
    expect((await console.next('message', (f) => f.message.id === stored.message.id)).message).toMatchObject({ author: 'visitor', body: 'zwei' });
    await Promise.all([back.close(), console.close()]);
  });

  it('reaches the counsellor on the other process with the next message, when no resend comes', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(b);
    const console = await agent(b, cookie);
    const v = await visitor(a);
    v.client.send({ type: 'send', clientId: 'unannounced-0005', body: 'eins' });
    const { conversationId } = (await v.client.next('ack')).message;
    expect((await api(b, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
    await v.client.next('message', (f) => f.message.author === 'system');

    // Stored and acknowledged, the announcement lost (a publish that never left, say).
    const row = await a.running.services.db.selectFrom('visitors').selectAll().where('id', '=', v.visitorId).executeTakeFirstOrThrow();
    const lost = await storedButNotAnnounced(a, () => a.running.services.conversations.visitorSend(row, { clientId: 'unannounced-0006', body: 'zwei', language: 'de' }));
    v.client.send({ type: 'send', clientId: 'unannounced-0007', body: 'drei' });
    const next = (await v.client.next('ack', (f) => f.message.body === 'drei')).message;

    const heard = [await console.next('message', (f) => f.message.seq === lost.message.seq), await console.next('message', (f) => f.message.seq === next.seq)];
    expect(heard.map((f) => [f.message.id, f.message.body])).toEqual([
      [lost.message.id, 'zwei'],
      [next.id, 'drei'],
    ]);
    await Promise.all([v.client.close(), console.close()]);
  });

  it('reaches the visitor when the counsellor resends through the other process', async () => {
    cluster = await startTestCluster();
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const cookie = await login(a);
    const v = await visitor(b);
    v.client.send({ type: 'send', clientId: 'unannounced-0003', body: 'Frage' });
    const { conversationId } = (await v.client.next('ack')).message;
    expect((await api(a, cookie, 'POST', `/conversations/${conversationId}/claim`)).status).toBe(200);
    await v.client.next('message', (f) => f.message.author === 'system');

    const me = (await api(a, cookie, 'GET', '/me')).json.agent;
    const stored = await storedButNotAnnounced(a, () =>
      a.running.services.conversations.agentSend(me, conversationId, { clientId: 'unannounced-0004', body: 'Antwort' }),
    );

    const console = await agent(b, cookie);
    console.send({ type: 'send', conversationId, clientId: 'unannounced-0004', body: 'Antwort' });
    expect((await console.next('ack')).message).toMatchObject({ id: stored.message.id });
    expect((await v.client.next('message', (f) => f.message.author === 'agent')).message).toMatchObject({ id: stored.message.id, body: 'Antwort' });
    await Promise.all([v.client.close(), console.close()]);
  });
});
