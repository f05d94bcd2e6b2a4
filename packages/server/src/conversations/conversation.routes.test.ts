import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agent, api, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.stop();
});

async function secondCounsellor(): Promise<string> {
  await t.running.services.agents.create({ email: 'b@example.org', name: 'Berna', password: 'another long password', role: 'counsellor', languages: ['tr', 'de'] });
  return login(t, 'b@example.org', 'another long password');
}

async function waitingConversation(body = 'Merhaba, geri dönmek istiyorum.'): Promise<string> {
  const { client } = await visitor(t, { language: 'tr', pageUrl: 'https://partner.example/rueckkehr' });
  client.send({ type: 'send', clientId: 'first-message', body });
  const ack = await client.next('ack');
  await client.close();
  return ack.message.conversationId;
}

describe('claiming a conversation', () => {
  it('gives a conversation to exactly one of two counsellors who click at the same moment', async () => {
    const [a, b] = [await login(t), await secondCounsellor()];
    for (let round = 0; round < 5; round++) {
      const id = await waitingConversation(`Frage ${round}`);
      const results = await Promise.all([api(t, a, 'POST', `/conversations/${id}/claim`), api(t, b, 'POST', `/conversations/${id}/claim`)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.json.error).toEqual({ code: 'conversation_taken', message: 'Another counsellor has already taken this conversation.' });
      const winner = results.find((r) => r.status === 200)!;
      expect(winner.json.conversation.status).toBe('active');
      // Exactly one "claimed" system message was written.
      const detail = await api(t, a, 'GET', `/conversations/${id}`);
      const systemMessages = detail.json.messages.filter((m: { author: string }) => m.author === 'system');
      expect(systemMessages).toHaveLength(1);
      expect(detail.json.conversation.agentId).toBe(winner.json.conversation.agentId);
    }
  });

  it('shows the queue with site, page, language and first message, oldest first', async () => {
    const cookie = await login(t);
    const first = await waitingConversation('Erste Frage');
    const second = await waitingConversation('Zweite Frage');
    const { status, json } = await api(t, cookie, 'GET', '/conversations?status=waiting');
    expect(status).toBe(200);
    expect(json.conversations.map((c: { id: string }) => c.id)).toEqual([first, second]);
    expect(json.conversations[0]).toMatchObject({
      siteName: 'Demo partner page',
      pageUrl: 'https://partner.example/rueckkehr',
      language: 'tr',
      firstMessage: 'Erste Frage',
      status: 'waiting',
      unread: 1,
    });
  });

  it('keeps a claimed conversation away from other counsellors', async () => {
    const [a, b] = [await login(t), await secondCounsellor()];
    const id = await waitingConversation();
    expect((await api(t, b, 'POST', `/conversations/${id}/claim`)).status).toBe(200);
    // a is an admin and may look; a plain counsellor may not.
    expect((await api(t, a, 'GET', `/conversations/${id}`)).status).toBe(200);
    await t.running.services.agents.create({ email: 'c@example.org', name: 'Cem', password: 'yet another long password', role: 'counsellor', languages: ['de'] });
    const c = await login(t, 'c@example.org', 'yet another long password');
    expect((await api(t, c, 'GET', `/conversations/${id}`)).json.error.code).toBe('not_found');
    expect((await api(t, c, 'POST', `/conversations/${id}/close`)).json.error.code).toBe('not_found');
    expect((await api(t, c, 'GET', '/conversations?status=all')).status).toBe(403);
  });
});

describe('the whole loop over sockets', () => {
  it('carries messages, typing, read receipts and status both ways', async () => {
    const cookie = await login(t);
    const console = await agent(t, cookie);
    const v = await visitor(t, { language: 'ar' });
    expect(v.client.frames.length).toBe(0);

    v.client.send({ type: 'send', clientId: 'loop-0001', body: 'مرحبا، أريد العودة إلى سوريا' });
    const ack = await v.client.next('ack');
    expect(ack.message).toMatchObject({ seq: 1, author: 'visitor' });
    const queued = await console.next('conversation', (f) => f.conversation.status === 'waiting' && f.conversation.lastSeq === 1);
    expect(queued.conversation).toMatchObject({ language: 'ar', firstMessage: 'مرحبا، أريد العودة إلى سوريا', unread: 1 });
    const id = queued.conversation.id;

    expect((await api(t, cookie, 'POST', `/conversations/${id}/claim`)).status).toBe(200);
    expect((await v.client.next('conversation', (f) => f.conversation.status === 'active')).conversation).toMatchObject({ agentName: 'Admin' });
    expect((await v.client.next('message')).message).toMatchObject({ author: 'system', body: 'claimed', seq: 2 });

    console.send({ type: 'typing', conversationId: id, active: true });
    expect(await v.client.next('typing')).toMatchObject({ author: 'agent', active: true });
    v.client.send({ type: 'typing', active: true });
    expect(await console.next('typing')).toMatchObject({ conversationId: id, author: 'visitor', active: true });

    console.send({ type: 'send', conversationId: id, clientId: 'reply-0001', body: 'Guten Tag, wie kann ich helfen?' });
    const reply = await console.next('ack');
    expect(reply.message).toMatchObject({ seq: 3, author: 'agent', agentName: 'Admin' });
    expect((await v.client.next('message')).message).toMatchObject({ id: reply.message.id, body: 'Guten Tag, wie kann ich helfen?' });
    // Answering marks the visitor's message read.
    expect(await v.client.next('read')).toMatchObject({ by: 'agent', seq: 3 });

    v.client.send({ type: 'read', seq: 3 });
    expect(await console.next('read', (f) => f.by === 'visitor')).toMatchObject({ conversationId: id, seq: 3 });

    // A visitor cannot mark more than exists.
    v.client.send({ type: 'read', seq: 999 });
    v.client.send({ type: 'ping' });
    await v.client.next('pong');
    const row = await t.running.services.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.visitor_read_seq).toBe(3);

    expect((await api(t, cookie, 'POST', `/conversations/${id}/close`)).json.conversation.status).toBe('closed');
    expect((await v.client.next('conversation', (f) => f.conversation.status === 'closed')).conversation.id).toBe(id);
    console.send({ type: 'send', conversationId: id, clientId: 'reply-0002', body: 'Noch da?' });
    expect(await console.next('error')).toMatchObject({ code: 'conversation_closed', ref: 'reply-0002' });

    // Writing again after the close starts a new conversation.
    v.client.send({ type: 'send', clientId: 'loop-0002', body: 'Noch eine Frage' });
    const next = await v.client.next('ack');
    expect(next.message.conversationId).not.toBe(id);
    expect(next.message.seq).toBe(1);
    await v.client.close();
    await console.close();
  });

  it('tells visitors whether a counsellor is online', async () => {
    const v = await visitor(t);
    const cookie = await login(t);
    const console = await agent(t, cookie);
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    await console.close();
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    await v.client.close();
  });

  it('does not let an agent write into a conversation they have not taken', async () => {
    const cookie = await login(t);
    const console = await agent(t, cookie);
    const id = await waitingConversation();
    console.send({ type: 'send', conversationId: id, clientId: 'early-0001', body: 'Hallo' });
    expect(await console.next('error')).toMatchObject({ code: 'forbidden', ref: 'early-0001' });
    console.send({ type: 'send', conversationId: 'not-a-conversation', clientId: 'early-0002', body: 'Hallo' });
    expect(await console.next('error')).toMatchObject({ code: 'not_found' });
    await console.close();
  });
});
