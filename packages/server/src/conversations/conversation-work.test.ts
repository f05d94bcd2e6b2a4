import { afterEach, describe, expect, it } from 'vitest';
import { agent, api, login, startTestServer, visitor, type AgentClient, type TestServer, type VisitorClient } from '../test-support/harness.js';

// Counsellor work (issue 14) on both databases: the write rule for every role, handover, internal
// notes, stuck conversations, availability, typing, topics, search.

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});

const PASSWORD = 'a long enough password';

async function counsellor(email: string, name: string, languages: string[] = ['de']): Promise<{ cookie: string; id: string }> {
  const created = await t.running.services.agents.create({ email, name, password: PASSWORD, role: 'counsellor', languages: languages as never });
  return { cookie: await login(t, email, PASSWORD), id: created.id };
}

/** A visitor who wrote once; every frame the visitor's socket receives is kept. */
async function visitorWith(body: string, hello: Record<string, unknown> = {}) {
  const v = await visitor(t, hello);
  const seen: string[] = [];
  v.client.ws.on('message', (data) => seen.push(String(data)));
  v.client.send({ type: 'send', clientId: `first-${Math.random().toString(36).slice(2, 10)}`, body });
  const ack = await v.client.next('ack');
  return { ...v, id: ack.message.conversationId, seen };
}

const errorOf = (r: { json: { error?: { code: string } } }) => r.json.error?.code;

async function held(by: string, body = 'Ich möchte zurückkehren') {
  const v = await visitorWith(body);
  expect((await api(t, by, 'POST', `/conversations/${v.id}/claim`)).status).toBe(200);
  await v.client.next('message', (f) => f.message.body === 'claimed');
  return v;
}

describe('the write rule: only the holder writes; a supervisor takes over first', () => {
  it('refuses every write path to a counsellor who does not hold it and to an admin, on REST and on the socket', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const a = await counsellor('a@example.org', 'Aylin');
    const b = await counsellor('b@example.org', 'Bilal');
    const v = await held(a.cookie);
    const topics = (await api(t, a.cookie, 'GET', '/topics')).json.topics as Array<{ id: string; key: string }>;
    const health = topics.find((x) => x.key === 'health')!.id;

    const sockets: Record<'a' | 'b' | 'admin', AgentClient> = { a: await agent(t, a.cookie), b: await agent(t, b.cookie), admin: await agent(t, admin) };
    const restWrites = (cookie: string) => ({
      note: api(t, cookie, 'POST', `/conversations/${v.id}/notes`, { body: 'Notiz' }),
      transfer: api(t, cookie, 'POST', `/conversations/${v.id}/transfer`, { to: { kind: 'queue' } }),
      topics: api(t, cookie, 'PUT', `/conversations/${v.id}/topics`, { topicIds: [health] }),
      close: api(t, cookie, 'POST', `/conversations/${v.id}/close`),
    });
    // A colleague does not even learn that it exists; an admin sees it but may not write.
    for (const [who, cookie, code] of [
      ['b', b.cookie, 'not_found'],
      ['admin', admin, 'forbidden'],
    ] as const) {
      const results = restWrites(cookie);
      for (const [path, result] of Object.entries(results)) expect([who, path, errorOf(await result)]).toEqual([who, path, code]);
      const socket = sockets[who];
      socket.send({ type: 'send', conversationId: v.id, clientId: `${who}-write-0001`, body: 'Ich schreibe hinein' });
      expect(await socket.next('error', (f) => f.ref === `${who}-write-0001`)).toMatchObject({ code });
      socket.send({ type: 'typing', conversationId: v.id, active: true });
      socket.send({ type: 'read', conversationId: v.id, seq: 2 });
      socket.send({ type: 'ping' });
      await socket.next('pong');
    }
    // A counsellor may not reassign at all; nothing changed hands.
    expect(errorOf(await api(t, b.cookie, 'POST', `/conversations/${v.id}/reassign`, { to: { kind: 'agent', agentId: b.id } }))).toBe('not_found');
    expect((await api(t, a.cookie, 'GET', `/conversations/${v.id}`)).json.conversation).toMatchObject({ agentId: a.id, agentReadSeq: 0, status: 'active', topicIds: [] });
    expect((await api(t, a.cookie, 'GET', `/conversations/${v.id}/notes`)).json.notes).toEqual([]);

    // The holder: every path works, and the visitor hears the typing only from them.
    sockets.a.send({ type: 'typing', conversationId: v.id, active: true });
    expect(await v.client.next('typing')).toMatchObject({ author: 'agent', active: true });
    expect(v.client.frames.filter((f) => f.type === 'typing')).toEqual([]);
    sockets.a.send({ type: 'send', conversationId: v.id, clientId: 'a-write-0001', body: 'Ich bin für Sie da' });
    await sockets.a.next('ack');
    expect((await api(t, a.cookie, 'POST', `/conversations/${v.id}/notes`, { body: 'Notiz' })).status).toBe(201);
    expect((await api(t, a.cookie, 'PUT', `/conversations/${v.id}/topics`, { topicIds: [health] })).json.conversation.topicIds).toEqual([health]);

    // The admin takes over first, then writes; the former holder no longer may.
    const me = (await api(t, admin, 'GET', '/me')).json.agent.id as string;
    const takeOver = await api(t, admin, 'POST', `/conversations/${v.id}/reassign`, { to: { kind: 'agent', agentId: me }, note: 'Ich übernehme' });
    expect(takeOver.status).toBe(200);
    expect(takeOver.json.conversation.agentId).toBe(me);
    sockets.admin.send({ type: 'send', conversationId: v.id, clientId: 'admin-write-0002', body: 'Jetzt ich' });
    expect((await sockets.admin.next('ack')).message.body).toBe('Jetzt ich');
    sockets.a.send({ type: 'send', conversationId: v.id, clientId: 'a-write-0002', body: 'Noch ich?' });
    expect(await sockets.a.next('error', (f) => f.ref === 'a-write-0002')).toMatchObject({ code: 'not_found' });
    expect(errorOf(await api(t, a.cookie, 'POST', `/conversations/${v.id}/close`))).toBe('not_found');
    expect((await api(t, admin, 'POST', `/conversations/${v.id}/close`)).status).toBe(200);
    // Topics are set at the end, too: by the (last) holder.
    expect((await api(t, admin, 'PUT', `/conversations/${v.id}/topics`, { topicIds: [] })).status).toBe(200);
    await Promise.all([v.client.close(), ...Object.values(sockets).map((s) => s.close())]);
  });
});

describe('handover', () => {
  it('gives the conversation with its whole history and a note to a named colleague; the visitor sees no names but the one shown anyway, never the note', async () => {
    t = await startTestServer();
    const a = await counsellor('a@example.org', 'Aylin', ['de', 'ps']);
    const b = await counsellor('b@example.org', 'Bilal', ['ps']);
    const v = await held(a.cookie, 'سلام، زه غواړم بیرته لاړ شم');
    const consoleA = await agent(t, a.cookie);
    consoleA.send({ type: 'send', conversationId: v.id, clientId: 'a-answer-01', body: 'Guten Tag' });
    await consoleA.next('ack');
    // Not connected: refused (it would be held by nobody).
    expect(errorOf(await api(t, a.cookie, 'POST', `/conversations/${v.id}/transfer`, { to: { kind: 'agent', agentId: b.id } }))).toBe('agent_unavailable');
    const consoleB = await agent(t, b.cookie);
    const note = 'Spricht Paschtu, Pass abgelaufen – bitte weiter';
    const before = v.seen.length;
    const moved = await api(t, a.cookie, 'POST', `/conversations/${v.id}/transfer`, { to: { kind: 'agent', agentId: b.id }, note });
    expect(moved.status).toBe(200);
    expect(moved.json.conversation).toMatchObject({ agentId: b.id, agentName: 'Bilal', status: 'active' });

    const handover = await consoleB.next('handover');
    expect(handover).toMatchObject({ conversationId: v.id, fromAgentName: 'Aylin', note: { kind: 'handover', body: note, internal: true, toAgentId: b.id } });
    expect((await consoleB.next('conversation', (f) => f.conversation.id === v.id)).conversation).toMatchObject({ agentId: b.id });
    const detail = await api(t, b.cookie, 'GET', `/conversations/${v.id}`);
    expect(detail.json.messages.map((m: { body: string }) => m.body)).toEqual(['سلام، زه غواړم بیرته لاړ شم', 'claimed', 'Guten Tag', 'transferred']);
    expect(detail.json.notes).toMatchObject([{ kind: 'handover', body: note, agentName: 'Aylin', toAgentName: 'Bilal', afterSeq: 3, internal: true }]);
    // The former holder: the conversation left their list and they may not read on.
    expect((await consoleA.next('conversation', (f) => f.conversation.id === v.id && f.conversation.agentId === b.id)).conversation.firstMessage).toBeNull();
    expect((await api(t, a.cookie, 'GET', `/conversations/${v.id}`)).status).toBe(404);

    // The visitor: a neutral system message and the new counsellor's display name (shown anyway).
    expect((await v.client.next('message', (f) => f.message.author === 'system' && f.message.body === 'transferred')).message.agentName).toBeNull();
    expect((await v.client.next('conversation', (f) => f.conversation.agentName === 'Bilal')).conversation.status).toBe('active');
    consoleB.send({ type: 'send', conversationId: v.id, clientId: 'b-answer-01', body: 'ستاسو سره مرسته کوم' });
    expect((await v.client.next('message', (f) => f.message.author === 'agent' && f.message.seq === 5)).message).toMatchObject({ agentName: 'Bilal' });
    expect(v.seen.join('\n')).not.toContain('Paschtu');
    // What the handover told the visitor names nobody but the new counsellor (whose name the widget shows anyway).
    expect(v.seen.slice(before).join('\n')).not.toContain('Aylin');
    await Promise.all([v.client.close(), consoleA.close(), consoleB.close()]);
  });

  it('hands back to the queue for a language; refuses away colleagues and full ones; a supervisor may exceed the limit', async () => {
    t = await startTestServer({ env: { DIRETURN_MAX_PARALLEL: '1' } });
    const admin = await login(t);
    const a = await counsellor('a@example.org', 'Aylin');
    const b = await counsellor('b@example.org', 'Bilal', ['ps']);
    const consoleB = await agent(t, b.cookie);
    const v = await held(a.cookie);
    const back = await api(t, a.cookie, 'POST', `/conversations/${v.id}/transfer`, { to: { kind: 'queue', language: 'ps' }, note: 'Bitte Paschtu' });
    expect(back.json.conversation).toMatchObject({ status: 'waiting', agentId: null, language: 'ps', heldSince: null });
    expect((await v.client.next('message', (f) => f.message.body === 'requeued')).message.author).toBe('system');
    expect((await v.client.next('conversation', (f) => f.conversation.status === 'waiting')).conversation.agentName).toBeNull();
    // Whoever takes it next reads the handover note.
    expect((await api(t, b.cookie, 'POST', `/conversations/${v.id}/claim`)).status).toBe(200);
    expect((await api(t, b.cookie, 'GET', `/conversations/${v.id}/notes`)).json.notes).toMatchObject([{ kind: 'handover', body: 'Bitte Paschtu', toAgentId: null }]);

    // b holds one, the limit is one: a colleague cannot hand b another; b cannot claim another.
    const w = await held(a.cookie);
    expect(errorOf(await api(t, a.cookie, 'POST', `/conversations/${w.id}/transfer`, { to: { kind: 'agent', agentId: b.id } }))).toBe('at_capacity');
    const x = await visitorWith('Noch jemand');
    expect(errorOf(await api(t, b.cookie, 'POST', `/conversations/${x.id}/claim`))).toBe('at_capacity');
    // A supervisor may (they see the whole picture).
    expect((await api(t, admin, 'POST', `/conversations/${w.id}/reassign`, { to: { kind: 'agent', agentId: b.id } })).json.conversation.agentId).toBe(b.id);
    // Away: nobody hands them anything, and they take nothing from the queue.
    expect((await api(t, b.cookie, 'PUT', '/availability', { availability: 'away' })).json.availability).toMatchObject({ availability: 'away', holding: 2, maxParallel: 1 });
    expect(errorOf(await api(t, admin, 'POST', `/conversations/${x.id}/reassign`, { to: { kind: 'agent', agentId: b.id } }))).toBe('agent_unavailable');
    expect((await api(t, admin, 'PUT', `/supervision/agents/${b.id}/max-parallel`, { maxParallel: 5 })).status).toBe(200);
    expect(errorOf(await api(t, b.cookie, 'POST', `/conversations/${x.id}/claim`))).toBe('agent_away');
    // Bad input: clear codes, nothing written.
    expect(await api(t, a.cookie, 'POST', `/conversations/${w.id}/transfer`, { to: { kind: 'agent', agentId: 'nope' } })).toMatchObject({ status: 400 });
    expect(errorOf(await api(t, admin, 'PUT', `/supervision/agents/${b.id}/max-parallel`, { maxParallel: 0 }))).toBe('bad_request');
    expect(errorOf(await api(t, a.cookie, 'PUT', `/supervision/agents/${b.id}/max-parallel`, { maxParallel: 3 }))).toBe('forbidden');
    await Promise.all([v.client.close(), w.client.close(), x.client.close(), consoleB.close()]);
  });
});

describe('internal notes', () => {
  it('reach the holder, are sealed at rest, marked in the export, and never reach the visitor', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const consoleAdmin = await agent(t, admin);
    const v = await held(admin);
    const created = await api(t, admin, 'POST', `/conversations/${v.id}/notes`, { body: '  Vertraulich: Angst vor Behörde  ' });
    expect(created.json.note).toMatchObject({ kind: 'note', body: 'Vertraulich: Angst vor Behörde', internal: true, afterSeq: 2 });
    expect((await consoleAdmin.next('note')).note.id).toBe(created.json.note.id);
    const row = await t.running.services.db.selectFrom('conversation_notes').select('body').executeTakeFirstOrThrow();
    expect(row.body.startsWith('enc1.')).toBe(true);
    const exported = await api(t, admin, 'GET', `/conversations/${v.id}/export`);
    expect(exported.json.notes).toMatchObject([{ internal: true, body: 'Vertraulich: Angst vor Behörde' }]);
    expect(errorOf(await api(t, admin, 'POST', `/conversations/${v.id}/notes`, { body: '   ' }))).toBe('bad_request');
    expect(errorOf(await api(t, admin, 'POST', `/conversations/${v.id}/notes`, { body: 'x'.repeat(4001) }))).toBe('bad_request');

    // Every visitor path: the live socket, a sync, a new socket's welcome.
    v.client.send({ type: 'sync', afterSeq: 0 });
    await v.client.next('synced');
    const again = await visitor(t, { token: v.token, lastSeq: 0 });
    const welcome = JSON.stringify(again.client.frames);
    expect(v.seen.join('\n')).not.toContain('Vertraulich');
    expect(welcome).not.toContain('Vertraulich');
    expect(welcome).not.toContain(created.json.note.id);
    await Promise.all([v.client.close(), again.client.close(), consoleAdmin.close()]);
  });

  it('are deleted with the conversation: by an admin, by the visitor, by retention', async () => {
    t = await startTestServer({ env: { DIRETURN_RETENTION_DAYS: '1' } });
    const admin = await login(t);
    const notes = () => t.running.services.db.selectFrom('conversation_notes').select('conversation_id').execute();
    const one = await held(admin);
    const two = await held(admin);
    const three = await held(admin);
    for (const c of [one, two, three]) await api(t, admin, 'POST', `/conversations/${c.id}/notes`, { body: `Notiz ${c.id}` });
    expect(await notes()).toHaveLength(3);
    expect((await api(t, admin, 'DELETE', `/conversations/${one.id}`)).status).toBe(204);
    two.client.send({ type: 'delete' });
    await two.client.next('deleted');
    await api(t, admin, 'POST', `/conversations/${three.id}/close`);
    await three.client.close();
    await t.running.services.retention.run(Date.now() + 2 * 86_400_000);
    expect(await notes()).toEqual([]);
    await one.client.close();
  });
});

describe('stuck conversations and availability', () => {
  it('returns the conversations of a counsellor away too long to the queue; a supervisor sees everything and reassigns', async () => {
    t = await startTestServer({ env: { DIRETURN_AWAY_REQUEUE_MINUTES: '1' } });
    const admin = await login(t);
    const a = await counsellor('a@example.org', 'Aylin');
    const b = await counsellor('b@example.org', 'Bilal');
    const consoleA = await agent(t, a.cookie);
    const consoleB = await agent(t, b.cookie);
    const left = await held(a.cookie, 'Hallo?');
    const staying = await held(b.cookie, 'Bin noch da');
    const waiting = await visitorWith('Wartet');

    const seen = await api(t, admin, 'GET', '/supervision');
    expect(seen.json.conversations.map((c: { id: string }) => c.id).sort()).toEqual([left.id, staying.id, waiting.id].sort());
    expect(seen.json.conversations.find((c: { id: string }) => c.id === left.id)).toMatchObject({ agentName: 'Aylin', agentAvailable: true, status: 'active' });
    expect(JSON.stringify(seen.json)).not.toContain('Hallo?');
    expect(seen.json.colleagues.find((c: { id: string }) => c.id === a.id)).toMatchObject({ online: true, holding: 1, availability: 'available' });
    expect(errorOf(await api(t, a.cookie, 'GET', '/supervision'))).toBe('forbidden');

    // a logs out holding a conversation; the visitor writes again.
    await api(t, a.cookie, 'POST', '/auth/logout');
    await consoleA.closed;
    left.client.send({ type: 'send', clientId: 'again-0001', body: 'Ist da noch jemand?' });
    await left.client.next('ack');
    const { requeue, db } = t.running.services;
    expect(await requeue.run()).toBe(0); // not away long enough yet
    // Two minutes on: a's conversation goes back to the queue, b's (b is connected) stays.
    await db.updateTable('agent_status').set({ last_seen_at: Date.now() - 120_000 }).where('agent_id', '=', a.id).execute();
    await db.updateTable('conversations').set({ held_since: Date.now() - 120_000 }).execute();
    const queued = consoleB.next('conversation', (f) => f.conversation.id === left.id && f.conversation.status === 'waiting');
    expect(await requeue.run()).toBe(1);
    expect((await queued).conversation).toMatchObject({ agentId: null, firstMessage: 'Hallo?' });
    expect((await left.client.next('message', (f) => f.message.body === 'requeued')).message.author).toBe('system');
    expect((await api(t, admin, 'GET', '/audit')).json.entries[0]).toMatchObject({ action: 'conversation.requeued', agentId: null, targetAgentId: a.id });

    // b sets away for longer than the time: theirs go back too, even with the console open.
    await api(t, b.cookie, 'PUT', '/availability', { availability: 'away' });
    await db.updateTable('agent_status').set({ changed_at: Date.now() - 120_000 }).where('agent_id', '=', b.id).execute();
    expect(await requeue.run()).toBe(1);
    expect((await api(t, admin, 'GET', `/conversations/${staying.id}`)).json.conversation.status).toBe('waiting');

    // Nothing held by nobody: an active conversation without a holder is put back at once.
    await db.updateTable('conversations').set({ status: 'active', agent_id: null }).where('id', '=', waiting.id).execute();
    expect(await requeue.run()).toBe(1);
    await Promise.all([left.client.close(), staying.client.close(), waiting.client.close(), consoleB.close()]);
  });

  it('"someone is online" follows availability, not just an open console; the console hears its own changes', async () => {
    t = await startTestServer();
    const a = await counsellor('a@example.org', 'Aylin');
    const v = await visitor(t);
    const consoleA = await agent(t, a.cookie);
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    const second = await agent(t, a.cookie);
    await api(t, a.cookie, 'PUT', '/availability', { availability: 'away' });
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    expect((await second.next('availability')).availability).toMatchObject({ availability: 'away', agentId: a.id });
    // A new console starts with it.
    const third = await agent(t, a.cookie);
    expect(third.frames).toEqual([]);
    await api(t, a.cookie, 'PUT', '/availability', { availability: 'available' });
    expect(await v.client.next('presence')).toEqual({ type: 'presence', agentsOnline: true });
    expect(errorOf(await api(t, a.cookie, 'PUT', '/availability', { availability: 'busy' }))).toBe('bad_request');
    await Promise.all([v.client.close(), consoleA.close(), second.close(), third.close()]);
  });
});

describe('typing ends with its socket', () => {
  it("tells the other side when a typing counsellor's or visitor's socket goes away", async () => {
    t = await startTestServer();
    const admin = await login(t);
    const v = await held(admin);
    const consoleA = await agent(t, admin);
    consoleA.send({ type: 'typing', conversationId: v.id, active: true });
    expect(await v.client.next('typing')).toMatchObject({ active: true });
    await consoleA.close();
    expect(await v.client.next('typing')).toMatchObject({ author: 'agent', active: false });

    const consoleB = await agent(t, admin);
    v.client.send({ type: 'typing', active: true });
    expect(await consoleB.next('typing')).toMatchObject({ author: 'visitor', active: true });
    await v.client.close();
    expect(await consoleB.next('typing')).toMatchObject({ conversationId: v.id, author: 'visitor', active: false });
    await consoleB.close();
  });
});

describe('own list, topics and find & filter', () => {
  it('shows pseudonym, latest message and unread count in the own list', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const v = await held(admin, 'Erste');
    v.client.send({ type: 'send', clientId: 'later-0001', body: 'Zweite Nachricht' });
    await v.client.next('ack');
    const [mine] = (await api(t, admin, 'GET', '/conversations?status=mine')).json.conversations;
    expect(mine).toMatchObject({ id: v.id, lastMessage: 'Zweite Nachricht', lastMessageAuthor: 'visitor', unread: 2, firstMessage: 'Erste' });
    expect(mine.pseudonym).toMatch(/^[A-Z][a-z]{3} \d{2}$/);
    const other = await visitorWith('Andere');
    const queue = (await api(t, admin, 'GET', '/conversations?status=waiting')).json.conversations;
    expect(queue[0].pseudonym).toMatch(/^[A-Z][a-z]{3} \d{2}$/);
    await Promise.all([v.client.close(), other.client.close()]);
  });

  it('manages topics (admins) and finds conversations by status, language, site, topic, channel and date, closed ones too, as far as the agent may see', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const a = await counsellor('a@example.org', 'Aylin');
    const b = await counsellor('b@example.org', 'Bilal');
    const created = await api(t, admin, 'POST', '/topics', { label: 'Schule der Kinder' });
    expect(created.status).toBe(201);
    expect(errorOf(await api(t, a.cookie, 'POST', '/topics', { label: 'Nope' }))).toBe('forbidden');
    const school = created.json.topic.id as string;

    const mineClosed = await held(a.cookie, 'Erledigt');
    await api(t, a.cookie, 'PUT', `/conversations/${mineClosed.id}/topics`, { topicIds: [school] });
    await api(t, a.cookie, 'POST', `/conversations/${mineClosed.id}/close`);
    const bs = await held(b.cookie, 'Von Bilal');
    const waitingTr = await visitorWith('Merhaba', { language: 'tr' });

    const search = async (cookie: string, q: string) => {
      const r = await api(t, cookie, 'GET', `/conversations/search${q}`);
      expect(r.status).toBe(200);
      return (r.json.conversations as Array<{ id: string }>).map((c) => c.id).sort();
    };
    expect(await search(a.cookie, '')).toEqual([mineClosed.id, waitingTr.id].sort());
    expect(await search(admin, '')).toEqual([mineClosed.id, bs.id, waitingTr.id].sort());
    expect(await search(a.cookie, '?status=closed')).toEqual([mineClosed.id]);
    expect(await search(admin, `?topic=${school}`)).toEqual([mineClosed.id]);
    expect(await search(admin, '?language=tr')).toEqual([waitingTr.id]);
    expect(await search(admin, '?channel=widget&status=active')).toEqual([bs.id]);
    const site = (await api(t, admin, 'GET', '/sites')).json.sites[0].id as string;
    expect(await search(admin, `?site=${site}`)).toHaveLength(3);
    expect(await search(admin, `?from=${Date.now() + 60_000}`)).toEqual([]);
    expect(await search(admin, `?to=${Date.now() + 60_000}`)).toHaveLength(3);
    const page = await api(t, admin, 'GET', '/conversations/search?limit=2');
    expect(page.json.conversations).toHaveLength(2);
    const rest = await api(t, admin, 'GET', `/conversations/search?limit=2&before=${page.json.nextBefore}`);
    expect(rest.json).toMatchObject({ nextBefore: null });
    expect(rest.json.conversations).toHaveLength(1);
    for (const bad of ['?status=open', '?language=xx', '?topic=1', '?from=5&to=4', '?limit=1000']) {
      expect([bad, errorOf(await api(t, admin, 'GET', `/conversations/search${bad}`))]).toEqual([bad, 'bad_request']);
    }
    // Archived topics are offered no more.
    await api(t, admin, 'PATCH', `/topics/${school}`, { archived: true });
    expect(errorOf(await api(t, b.cookie, 'PUT', `/conversations/${bs.id}/topics`, { topicIds: [school] }))).toBe('bad_request');
    await Promise.all([mineClosed.client.close(), bs.client.close(), waitingTr.client.close()]);
  });
});
