import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { agent, api, countRows, FrameClient, injectFailure, login, startTestServer, visitor, wsUrl, type AgentClient, type TestServer, type VisitorClient } from '../test-support/harness.js';
import { rawDataFiles, recoverable } from '../test-support/raw-files.js';
import { hashSecret } from '../shared/ids.js';
import { TEST_DATABASE } from '../test-support/databases.js';
import { postUpdate, startTelegramServer, telegramText, waitingConversationWith } from '../test-support/channels.js';

let t: TestServer;
afterEach(async () => {
  await t?.stop();
});
const DAY = 86_400_000;

async function conversationOf(client: VisitorClient, clientId: string, body: string): Promise<string> {
  client.send({ type: 'send', clientId, body });
  return (await client.next('ack')).message.conversationId;
}

describe('retention', () => {
  it('deletes closed conversations and inactive visitors after the period, messages included, and shows deleteAt', async () => {
    t = await startTestServer({ env: { DIRETURN_RETENTION_DAYS: '30' } });
    const admin = await login(t);
    const old = await visitor(t);
    const closedId = await conversationOf(old.client, 'ret-00001', 'alt und abgeschlossen');
    await api(t, admin, 'POST', `/conversations/${closedId}/claim`);
    const closed = await api(t, admin, 'POST', `/conversations/${closedId}/close`);
    expect(closed.json.conversation.deleteAt).toBe(closed.json.conversation.closedAt + 30 * DAY);
    const recent = await visitor(t);
    const openId = await conversationOf(recent.client, 'ret-00002', 'noch offen');
    expect((await api(t, admin, 'GET', `/conversations/${openId}`)).json.conversation.deleteAt).toBeNull();
    const idle = await visitor(t); // said hello, never wrote
    await Promise.all([old.client.close(), recent.client.close(), idle.client.close()]);

    const { retention, db } = t.running.services;
    expect(await retention.run(Date.now() + 29 * DAY)).toEqual({ conversations: 0, visitors: 0, auditEntries: 0 });
    // 31 days on: the closed conversation and every visitor not seen since are due, but not the
    // visitor whose (open) conversation had a message within the period.
    await db.updateTable('conversations').set({ last_message_at: Date.now() + 20 * DAY }).where('id', '=', openId).execute();
    const result = await retention.run(Date.now() + 31 * DAY);
    expect(result.conversations).toBe(1);
    expect(result.visitors).toBe(2);
    expect(await countRows(t, 'conversations')).toBe(1);
    expect(await countRows(t, 'visitors')).toBe(1);
    const left = await db.selectFrom('messages').select('conversation_id').execute();
    expect(left.every((m) => m.conversation_id === openId)).toBe(true);
    const audit = await api(t, admin, 'GET', '/audit');
    expect(audit.json.entries[0]).toMatchObject({ action: 'retention.deleted', agentId: null, details: { conversations: 1, visitors: 2, auditEntries: 0 } });
  });
});

describe('"delete my data"', () => {
  it('deletes the visitor, conversations and messages for good, tells the console and closes the socket', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const console = await agent(t, admin);
    const v = await visitor(t, { pageUrl: 'https://partner.example/page-marker-7f3a9' });
    const id = await conversationOf(v.client, 'del-00001', 'Bitte löschen');
    await api(t, admin, 'POST', `/conversations/${id}/claim`);
    const other = await visitor(t);
    await conversationOf(other.client, 'del-00002', 'Ich bleibe');

    v.client.send({ type: 'delete' });
    expect(await v.client.next('deleted')).toEqual({ type: 'deleted' });
    expect((await v.client.closed).code).toBe(4410);
    expect(await console.next('conversation-deleted', (f) => f.conversationId === id)).toBeTruthy();

    const { db } = t.running.services;
    expect(await db.selectFrom('visitors').select('id').where('id', '=', v.visitorId).execute()).toEqual([]);
    expect(await db.selectFrom('conversations').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await db.selectFrom('messages').select('id').where('conversation_id', '=', id).execute()).toEqual([]);
    expect(await countRows(t, 'messages')).toBe(1); // the other visitor's
    // The old token opens a fresh, empty identity.
    const again = await FrameClient.open(wsUrl(t.url, '/ws/visitor'));
    again.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token: v.token });
    const welcome = (await again.next('welcome')) as unknown as { token: string; conversation: unknown; messages: unknown[] };
    expect(welcome.token).not.toBe(v.token);
    expect(welcome.conversation).toBeNull();
    expect(welcome.messages).toEqual([]);
    expect((await api(t, admin, 'GET', '/audit')).json.entries[0]).toMatchObject({ action: 'visitor.deleted_self', agentId: null, details: { conversations: 1 } });
    await Promise.all([again.close(), other.client.close(), console.close()]);
  });
});

describe('"delete my data" while another socket of the same visitor writes', () => {
  it('answers that socket with `gone` and closes it, never `internal`, and logs no error', async () => {
    const logs: string[] = [];
    t = await startTestServer({ logs });
    for (let i = 0; i < 8; i++) {
      const a = await visitor(t);
      a.client.send({ type: 'send', clientId: `race-${i}-000a`, body: 'erste' });
      await a.client.next('ack');
      const b = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
      b.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token: a.token });
      await b.next('welcome');
      a.client.send({ type: 'delete' });
      await new Promise((r) => setTimeout(r, i)); // the send lands before, during or after the deletion
      b.send({ type: 'send', clientId: `race-${i}-000b`, body: 'zweite' });
      await b.closed;
      expect(b.frames.filter((f) => f.type === 'error' && f.code !== 'gone')).toEqual([]);
    }
    expect(await countRows(t, 'visitors')).toBe(0);
    expect(await countRows(t, 'conversations')).toBe(0);
    expect(logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);

    // The same, step by step: a send for a visitor deleted since its socket said hello.
    const v = await visitor(t);
    const { conversations, db } = t.running.services;
    const row = await db.selectFrom('visitors').selectAll().where('id', '=', v.visitorId).executeTakeFirstOrThrow();
    await conversations.deleteVisitor(v.visitorId);
    await expect(conversations.visitorSend(row, { clientId: 'race-late-01', body: 'zu spät', language: 'de' })).rejects.toMatchObject({ code: 'gone' });
  });
});

// SQLite's files: what they keep after a deletion is this process's to control. PostgreSQL keeps
// deleted tuples until vacuum reuses the space (docs/security.md).
describe.skipIf(TEST_DATABASE !== 'sqlite')('deleted data is gone from the files on disk (database, WAL, journal), key file or not', () => {
  /** A visitor who wrote, from a page, and got an answer: what a copy of the data directory could give away. */
  async function conversationWithAnswer(console: AgentClient, admin: string, tag: string) {
    const v = await visitor(t, { pageUrl: `https://partner.example/${tag}` });
    v.client.send({ type: 'send', clientId: `${tag}-0001`, body: `Frage ${tag}` });
    const asked = (await v.client.next('ack')).message;
    const conversationId = asked.conversationId;
    await api(t, admin, 'POST', `/conversations/${conversationId}/claim`);
    console.send({ type: 'send', conversationId, clientId: `${tag}-0002`, body: `Antwort ${tag}` });
    const answered = (await console.next('ack')).message;
    const messageIds = (await t.running.services.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).execute()).map((m) => m.id);
    expect(messageIds).toContain(answered.id);
    // An internal note goes with the conversation too, from the files as well.
    const note = (await api(t, admin, 'POST', `/conversations/${conversationId}/notes`, { body: `Notiz ${tag}` })).json.note as { id: string };
    return {
      v,
      conversationId,
      // the conversation id stays in the audit log (claimed, deleted): no content, by design
      identifiers: [v.visitorId, hashSecret(v.token), ...messageIds, note.id],
      aads: [...messageIds.map((id) => `message:${id}`), `page:${conversationId}`, `note:${note.id}`],
    };
  }

  async function setUp() {
    t = await startTestServer();
    const admin = await login(t);
    const console = await agent(t, admin);
    const stays = await conversationWithAnswer(console, admin, 'stays');
    return { admin, console, stays };
  }
  const scan = (c: { identifiers: string[]; aads: string[] }) => recoverable(t.dataDir, t.running.services.keyring, c.identifiers, c.aads);

  it('after "delete my data"', async () => {
    const { admin, console, stays } = await setUp();
    const gone = await conversationWithAnswer(console, admin, 'gone');
    // The scan finds what is there: ids and ciphertexts that decrypt with the key next to them.
    expect(scan(gone).length).toBeGreaterThan(0);
    gone.v.client.send({ type: 'delete' });
    await gone.v.client.next('deleted');
    expect(scan(gone)).toEqual([]);
    expect(scan(stays)).not.toEqual([]); // the other visitor's data is still found: the scan works
    await Promise.all([stays.v.client.close(), console.close()]);
  });

  it("after an admin's deletion", async () => {
    const { admin, console, stays } = await setUp();
    const gone = await conversationWithAnswer(console, admin, 'gone');
    expect(scan(gone).length).toBeGreaterThan(0);
    expect((await api(t, admin, 'DELETE', `/conversations/${gone.conversationId}`)).status).toBe(204);
    // the visitor stays (only the conversation was deleted): look for the messages and the page
    expect(scan({ identifiers: gone.identifiers.slice(2), aads: gone.aads })).toEqual([]);
    expect(scan(stays)).not.toEqual([]);
    await Promise.all([stays.v.client.close(), gone.v.client.close(), console.close()]);
  });

  it('after the retention job', async () => {
    const { admin, console, stays } = await setUp();
    const gone = await conversationWithAnswer(console, admin, 'gone');
    await api(t, admin, 'POST', `/conversations/${gone.conversationId}/close`);
    await gone.v.client.close();
    const { db, retention } = t.running.services;
    // Only the closed conversation and its visitor are old enough.
    await db.updateTable('visitors').set({ last_seen_at: Date.now() + 200 * DAY }).where('id', '=', stays.v.visitorId).execute();
    await db.updateTable('conversations').set({ last_message_at: Date.now() + 200 * DAY }).where('id', '=', stays.conversationId).execute();
    expect(scan(gone).length).toBeGreaterThan(0);
    expect(await retention.run(Date.now() + 100 * DAY)).toMatchObject({ conversations: 1, visitors: 1 });
    expect(scan(gone)).toEqual([]);
    expect(scan(stays)).not.toEqual([]);
    await Promise.all([stays.v.client.close(), console.close()]);
  });
});

describe("a person's identity on a channel (Telegram against a local Bot API stand-in)", () => {
  let channelServer: { stop(): Promise<void> } | undefined;
  afterEach(async () => {
    await channelServer?.stop();
    channelServer = undefined;
  });

  it('goes with the conversation when an admin deletes it; a replay of its update does not bring it back', async () => {
    const s = await startTelegramServer();
    channelServer = s;
    const { t, standIn, cookie, account } = s;
    const update = telegramText(3001, 5550003, 'Bitte löschen Sie meine Daten danach.', 'de');
    await postUpdate(t, account.id, account.secret, update);
    const id = await waitingConversationWith(t, cookie, 'Bitte löschen Sie meine Daten danach.');
    await api(t, cookie, 'POST', `/conversations/${id}/claim`);
    standIn.fail('sendMessage', { status: 500 }, 1000);
    const ws = await agent(t, cookie);
    ws.send({ type: 'send', conversationId: id, clientId: 'delete-reply-1', body: 'Wird gemacht.' });
    await ws.next('ack');
    await ws.close();
    const { db } = t.running.services;
    expect(await db.selectFrom('outbox').select('id').where('subject', '=', `conversation:${id}`).execute()).toHaveLength(1);

    expect((await api(t, cookie, 'DELETE', `/conversations/${id}`)).status).toBe(204);
    expect(await db.selectFrom('conversations').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await db.selectFrom('channel_deliveries').select('message_id').where('conversation_id', '=', id).execute()).toEqual([]);
    expect(await db.selectFrom('outbox').select('id').where('subject', '=', `conversation:${id}`).execute()).toEqual([]);
    expect(await db.selectFrom('channel_inbound').selectAll().where('provider_message_id', '=', 'update:3001').execute()).toEqual([
      expect.objectContaining({ conversation_id: null, message_id: null }),
    ]);
    const conversations = await countRows(t, 'conversations');
    expect((await postUpdate(t, account.id, account.secret, update)).status).toBe(200);
    expect(await countRows(t, 'conversations')).toBe(conversations);
  });

  it('goes with the conversation at retention; writing again after the close opens a new conversation', async () => {
    const s = await startTelegramServer({ DIRETURN_RETENTION_DAYS: '30' });
    channelServer = s;
    const { t, cookie, account } = s;
    await postUpdate(t, account.id, account.secret, telegramText(4001, 5550004, 'Erste Frage zur Rückkehr nach Georgien.', 'de'));
    const first = await waitingConversationWith(t, cookie, 'Erste Frage zur Rückkehr nach Georgien.');
    await api(t, cookie, 'POST', `/conversations/${first}/claim`);
    await api(t, cookie, 'POST', `/conversations/${first}/close`);
    await postUpdate(t, account.id, account.secret, telegramText(4002, 5550004, 'Noch eine Frage, später.', 'de'));
    const second = await waitingConversationWith(t, cookie, 'Noch eine Frage, später.');
    expect(second).not.toBe(first);

    const { retention, db } = t.running.services;
    await db.updateTable('conversations').set({ last_message_at: Date.now() + 20 * DAY }).where('id', '=', second).execute();
    await db.updateTable('visitors').set({ last_seen_at: Date.now() + 20 * DAY }).where('id', 'in', (eb) => eb.selectFrom('conversations').select('visitor_id').where('id', '=', second)).execute();
    const result = await retention.run(Date.now() + 31 * DAY);
    expect(result.conversations).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom('conversations').select('id').where('id', '=', first).execute()).toEqual([]);
    expect(await db.selectFrom('conversations').select('id').where('id', '=', second).execute()).toHaveLength(1);
  });
});

describe('a visitor token reaches only its own conversation', () => {
  it('ignores foreign ids in every frame type and gives REST and agent routes nothing', async () => {
    t = await startTestServer();
    const a = await visitor(t);
    const aConversation = await conversationOf(a.client, 'own-00001', 'A schreibt');
    const b = await visitor(t);
    const foreign = { conversationId: aConversation, visitorId: a.visitorId, token: a.token };
    for (const frame of [
      { type: 'sync', afterSeq: 0, ...foreign },
      { type: 'read', seq: 1, ...foreign },
      { type: 'typing', active: true, ...foreign },
      { type: 'language', language: 'ar', ...foreign },
      { type: 'ping', ...foreign },
    ]) b.client.send(frame);
    const synced = await b.client.next('synced');
    expect(synced).toEqual({ type: 'synced', conversationId: null, messages: [] });
    b.client.send({ type: 'send', clientId: 'own-00002', body: 'B schreibt', ...foreign });
    const ack = await b.client.next('ack');
    expect(ack.message.conversationId).not.toBe(aConversation);
    // A's conversation is untouched: one message, not read.
    const row = await t.running.services.db.selectFrom('conversations').selectAll().where('id', '=', aConversation).executeTakeFirstOrThrow();
    expect([Number(row.last_seq), Number(row.visitor_read_seq)]).toEqual([1, 0]);
    expect(a.client.frames.filter((f) => f.type === 'typing' || f.type === 'message')).toEqual([]);
    // A second hello cannot switch identity; a token on another site is a stranger.
    b.client.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de', token: a.token });
    expect((await b.client.next('error')).code).toBe('bad_request');
    const other = await api(t, (await login(t)), 'POST', '/sites', { name: 'Other', allowedOrigins: [t.origin] });
    const elsewhere = await visitor(t, { site: other.json.site.key, token: a.token });
    expect(elsewhere.visitorId).not.toBe(a.visitorId);
    // Delete only deletes oneself.
    b.client.send({ type: 'delete', ...foreign });
    await b.client.next('deleted');
    expect(await countRows(t, 'messages')).toBe(1);
    // The token is no key to the console.
    for (const [method, path] of [['GET', '/me'], ['GET', `/conversations/${aConversation}`], ['GET', `/conversations/${aConversation}/export`]] as const) {
      expect((await api(t, `direturn_session=${a.token}`, method, path)).status).toBe(401);
    }
    await expect(FrameClient.open(wsUrl(t.url, '/ws/agent'), { cookie: `direturn_session=${a.token}` })).rejects.toThrow('HTTP 401');
    await Promise.all([a.client.close(), elsewhere.client.close()]);
  });
});

describe('audit log', () => {
  it('records who opened, exported and deleted which conversation; only admins read it', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const v = await visitor(t);
    const id = await conversationOf(v.client, 'aud-00001', 'Hallo');
    const opened = await fetch(`${t.url}/api/conversations/${id}`, { headers: { cookie: admin } });
    expect(opened.status).toBe(200);
    await opened.text();
    // Nothing that carries conversation content may be kept by a browser or proxy cache.
    expect(opened.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/conversations?status=waiting', '/audit', '/me']) {
      const res = await fetch(`${t.url}/api${path}`, { headers: { cookie: admin } });
      await res.text();
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const exported = await fetch(`${t.url}/api/conversations/${id}/export`, { headers: { cookie: admin } });
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    expect(((await exported.json()) as { messages: Array<{ body: string }> }).messages[0]!.body).toBe('Hallo');
    // Reading it from the start over the socket is opening it too; catching up after a reconnect is not.
    const socket = await agent(t, admin);
    socket.send({ type: 'sync', conversationId: id, afterSeq: 0 });
    await socket.next('synced');
    socket.send({ type: 'sync', conversationId: id, afterSeq: 1 });
    await socket.next('synced');
    await socket.close();
    expect((await api(t, admin, 'DELETE', `/conversations/${id}`)).status).toBe(204);
    expect(await countRows(t, 'messages')).toBe(0);
    const log = await api(t, admin, 'GET', `/audit?conversationId=${id}`);
    expect(log.json.entries.map((e: { action: string }) => e.action)).toEqual(['conversation.deleted', 'conversation.opened', 'conversation.exported', 'conversation.opened']);
    expect(log.json.entries[0]).toMatchObject({ agentName: 'Admin', conversationId: id });
    expect(JSON.stringify(log.json)).not.toContain('Hallo');
    await v.client.close();
  });
});

describe('reading a conversation leaves a trace, whichever path (one rule: conversations/read-access.ts)', () => {
  const COUNSELLOR = { name: 'Cem', password: 'a long enough password', role: 'counsellor' as const, languages: ['de' as const] };

  it('REST, export and every socket frame: only the assignee catching up reads without opening', async () => {
    t = await startTestServer();
    const admin = await login(t);
    for (const email of ['c1@example.org', 'c2@example.org']) await api(t, admin, 'POST', '/agents', { ...COUNSELLOR, email });
    const [c1, c2] = [await login(t, 'c1@example.org', COUNSELLOR.password), await login(t, 'c2@example.org', COUNSELLOR.password)];
    const sockets = { admin: await agent(t, admin), c1: await agent(t, c1), c2: await agent(t, c2) };
    const ids = Object.fromEntries(
      await Promise.all(Object.entries({ admin, c1, c2 }).map(async ([k, cookie]) => [k, (await api(t, cookie, 'GET', '/me')).json.agent.id as string])),
    ) as Record<'admin' | 'c1' | 'c2', string>;
    // Taken by c1, with an answer; and another one still waiting, with two messages.
    const v = await visitor(t, { pageUrl: 'https://partner.example/taken' });
    const taken = await conversationOf(v.client, 'read-0001', 'Erste Nachricht');
    v.client.send({ type: 'send', clientId: 'read-0002', body: 'Zweite Nachricht' });
    await v.client.next('ack');
    expect((await api(t, c1, 'POST', `/conversations/${taken}/claim`)).status).toBe(200);
    sockets.c1.send({ type: 'send', conversationId: taken, clientId: 'read-answer-1', body: 'Antwort von c1' });
    await sockets.c1.next('ack');
    const w = await visitor(t);
    const waiting = await conversationOf(w.client, 'read-0003', 'Wartet noch');
    w.client.send({ type: 'send', clientId: 'read-0004', body: 'Wartet noch immer' });
    await w.client.next('ack');

    const { db } = t.running.services;
    const opened = async (agentId: string, conversationId: string) =>
      (await db.selectFrom('audit_log').select('action').where('agent_id', '=', agentId).where('conversation_id', '=', conversationId).execute()).map((e) => e.action);
    const sync = async (socket: AgentClient, conversationId: string, afterSeq: number) => {
      socket.send({ type: 'sync', conversationId, afterSeq });
      return (await socket.next('synced')).messages.map((m) => m.body);
    };

    // An admin reading a colleague's conversation from seq 1 on: opened, in the log.
    expect(await sync(sockets.admin, taken, 1)).toContain('Antwort von c1');
    expect(await opened(ids.admin, taken)).toEqual(['conversation.opened']);
    // A counsellor reading a waiting conversation past the queue's preview: opened, in the log.
    expect(await sync(sockets.c2, waiting, 1)).toEqual(['Wartet noch immer']);
    expect(await opened(ids.c2, waiting)).toEqual(['conversation.opened']);
    // The assignee catching up after a reconnect: no entry (their claim is in the log).
    expect(await sync(sockets.c1, taken, 2)).toEqual(['claimed', 'Antwort von c1']);
    expect(await opened(ids.c1, taken)).toEqual(['conversation.claimed']);
    // ...but reading from the start is opening, also for them.
    await sync(sockets.c1, taken, 0);
    expect(await opened(ids.c1, taken)).toEqual(['conversation.claimed', 'conversation.opened']);
    // Nobody else reads a taken conversation at all.
    sockets.c2.send({ type: 'sync', conversationId: taken, afterSeq: 1 });
    expect(await sockets.c2.next('error')).toMatchObject({ code: 'not_found' });
    expect((await api(t, c2, 'GET', `/conversations/${taken}`)).status).toBe(404);
    expect(await opened(ids.c2, taken)).toEqual([]);

    // An ack is no way round it: a resend under someone else's client id returns nothing of theirs.
    sockets.admin.send({ type: 'send', conversationId: taken, clientId: 'read-answer-1', body: 'x' });
    const refused = await sockets.admin.next('error');
    expect(refused).toMatchObject({ code: 'forbidden', ref: 'read-answer-1' });
    expect(JSON.stringify(refused)).not.toContain('Antwort');

    // Lists and conversation frames show the preview only to those who may see it without opening.
    const all = await api(t, admin, 'GET', '/conversations?status=all');
    const row = (id: string) => all.json.conversations.find((c: { id: string }) => c.id === id);
    expect(row(taken)).toMatchObject({ firstMessage: null, pageUrl: null });
    expect(row(waiting).firstMessage).toBe('Wartet noch');
    expect((await api(t, c1, 'GET', '/conversations?status=mine')).json.conversations[0]).toMatchObject({ id: taken, firstMessage: 'Erste Nachricht', pageUrl: 'https://partner.example/taken' });
    // Only the holder closes (the write rule, conversation.policy.ts); an admin is refused without seeing anything.
    const refusedClose = await api(t, admin, 'POST', `/conversations/${taken}/close`);
    expect(refusedClose.json.error.code).toBe('forbidden');
    expect(JSON.stringify(refusedClose.json)).not.toContain('Erste Nachricht');
    const closed = await api(t, c1, 'POST', `/conversations/${taken}/close`);
    expect(closed.json.conversation).toMatchObject({ status: 'closed', firstMessage: 'Erste Nachricht' });
    const toAdmin = await sockets.admin.next('conversation', (f) => f.conversation.id === taken && f.conversation.status === 'closed');
    expect(toAdmin.conversation).toMatchObject({ firstMessage: null, pageUrl: null });
    const toC1 = await sockets.c1.next('conversation', (f) => f.conversation.id === taken && f.conversation.status === 'closed');
    expect(toC1.conversation.firstMessage).toBe('Erste Nachricht');

    // REST detail and export: opened and exported.
    expect((await api(t, admin, 'GET', `/conversations/${taken}`)).status).toBe(200);
    expect((await api(t, admin, 'GET', `/conversations/${taken}/export`)).status).toBe(200);
    // (the close is c1's now: admins do not write in a colleague's conversation)
    expect(await opened(ids.admin, taken)).toEqual(['conversation.opened', 'conversation.opened', 'conversation.exported']);
    await Promise.all([v.client.close(), w.client.close(), ...Object.values(sockets).map((s) => s.close())]);
  });
});

describe('no IP addresses stored', () => {
  it('has no column for an address in any table, and none of a client\'s address in the files', async () => {
    t = await startTestServer();
    const { db } = t.running.services;
    // kysely's introspection reads sqlite_master or information_schema, whichever the dialect has.
    const columns = (await db.introspection.getTables()).flatMap((table) => table.columns.map((c) => `${table.name}.${c.name}`));
    expect(columns).toContain('messages.body'); // the listing works
    expect(columns.filter((c) => /(^|[._])(ip|ips|address|addr|remote|forwarded|user_agent)([._]|$)/i.test(c))).toEqual([]);
    // A visitor and a login from a distinctive (forwarded) address leave no trace of it.
    await t.stop();
    t = await startTestServer({ env: { DIRETURN_TRUST_PROXY: 'true' } });
    const v = await visitor(t);
    await conversationOf(v.client, 'addr-0001', 'Hallo');
    await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77' }, body: '{"email":"admin@example.org","password":"correct horse battery staple"}' });
    await v.client.close();
    if (t.database === 'sqlite') {
      const all = [...rawDataFiles(t.dataDir).values()].map((b) => b.toString('latin1')).join('');
      expect(all).toContain('enc1.'); // the files were read (a sealed message is in them)
      expect(all).not.toContain('203.0.113.77');
    } else {
      // PostgreSQL's files are the server's: look in every text column instead.
      for (const table of await t.running.services.db.introspection.getTables()) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(t.running.services.db);
        expect(JSON.stringify(rows.rows), table.name).not.toContain('203.0.113.77');
      }
    }
  });
});

describe('privacy notice', () => {
  it('comes with the welcome in the visitor language (every language has a built-in text), and operators override it', async () => {
    t = await startTestServer({ env: { DIRETURN_RETENTION_DAYS: '45' } });
    const ar = await visitor(t, { language: 'ar' });
    expect(ar.client.frames).toEqual([]);
    const welcome = await (async () => {
      const c = await FrameClient.open(wsUrl(t.url, '/ws/visitor'));
      c.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'ka' });
      const w = (await c.next('welcome')) as unknown as { privacy: { language: string; text: string; retentionDays: number } };
      await c.close();
      return w;
    })();
    expect(welcome.privacy).toMatchObject({ language: 'ka', retentionDays: 45 });
    expect(welcome.privacy.text).toContain('45');
    expect(welcome.privacy.text).not.toContain('days');
    // the number in the text's own digits
    expect((await api(t, undefined, 'GET', '/privacy?site=demo&lang=fa')).json.privacy.text).toContain('۴۵');
    const de = await api(t, undefined, 'GET', '/privacy?site=demo&lang=de');
    expect(de.json.privacy.text).toContain('IP-Adresse');
    const admin = await login(t);
    const sites = await api(t, admin, 'GET', '/sites');
    const put = await api(t, admin, 'PUT', '/privacy-notices', {
      siteId: sites.json.sites[0].id,
      language: 'de',
      text: 'Caritas speichert Ihre Nachrichten {days} Tage.',
      links: [{ label: 'Datenschutzerklärung', url: 'https://caritas.example/datenschutz' }],
    });
    expect(put.status).toBe(200);
    expect((await api(t, undefined, 'GET', '/privacy?site=demo&lang=de')).json.privacy).toEqual({
      language: 'de',
      text: 'Caritas speichert Ihre Nachrichten 45 Tage.',
      links: [{ label: 'Datenschutzerklärung', url: 'https://caritas.example/datenschutz' }],
      retentionDays: 45,
    });
    expect((await api(t, admin, 'PUT', '/privacy-notices', { siteId: null, language: 'de', text: 'x', links: [{ label: 'x', url: 'javascript:alert(1)' }] })).status).toBe(400);
    // Both the change and its removal are in the audit log.
    expect((await api(t, admin, 'DELETE', `/privacy-notices?siteId=${sites.json.sites[0].id}&language=de`)).status).toBe(204);
    expect((await api(t, undefined, 'GET', '/privacy?site=demo&lang=de')).json.privacy.text).toContain('IP-Adresse');
    const log = (await api(t, admin, 'GET', '/audit')).json.entries.filter((e: { action: string }) => e.action === 'settings.updated');
    expect(log.map((e: { details: Record<string, unknown> }) => e.details)).toEqual([
      { privacyNotice: 'de', site: sites.json.sites[0].id, removed: true },
      { privacyNotice: 'de', site: sites.json.sites[0].id },
    ]);
    await ar.client.close();
  });
});

describe('message text is data, never markup', () => {
  const PAYLOADS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg/onload=alert(1)>',
    'javascript:alert(1)',
    '[klick](javascript:alert(1))',
    '{{constructor.constructor("alert(1)")()}}',
    '</textarea><iframe srcdoc="<script>parent.alert(1)</script>">',
    '\u202Egnp.exe',
  ];

  it('stores and returns XSS payloads verbatim as JSON strings, visitor → console → visitor', async () => {
    t = await startTestServer();
    const admin = await login(t);
    const console = await agent(t, admin);
    const v = await visitor(t);
    const id = await conversationOf(v.client, 'xss-00000', PAYLOADS[0]!);
    for (const [i, p] of PAYLOADS.slice(1).entries()) {
      v.client.send({ type: 'send', clientId: `xss-0000${i + 1}`, body: p });
      expect((await v.client.next('ack')).message.body).toBe(p);
    }
    await api(t, admin, 'POST', `/conversations/${id}/claim`);
    const res = await fetch(`${t.url}/api/conversations/${id}`, { headers: { cookie: admin } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const detail = (await res.json()) as { messages: Array<{ author: string; body: string }> };
    expect(detail.messages.filter((m) => m.author === 'visitor').map((m) => m.body)).toEqual(PAYLOADS);
    for (const [i, p] of PAYLOADS.entries()) {
      console.send({ type: 'send', conversationId: id, clientId: `xss-back-${i}`, body: p });
      expect((await console.next('ack')).message.body).toBe(p);
      expect((await v.client.next('message', (f) => f.message.author === 'agent')).message.body).toBe(p);
    }
    await Promise.all([v.client.close(), console.close()]);
  });
});

describe('rate limits beyond one socket', () => {
  it('limits new conversations and sockets per site with a clear, retryable error', async () => {
    t = await startTestServer({ env: { DIRETURN_SITE_NEW_CONVERSATIONS_PER_MINUTE: '2', DIRETURN_SITE_CONNECTIONS_PER_MINUTE: '4' } });
    const clients = [await visitor(t), await visitor(t), await visitor(t)];
    await conversationOf(clients[0]!.client, 'site-00001', 'eins');
    await conversationOf(clients[1]!.client, 'site-00002', 'zwei');
    clients[2]!.client.send({ type: 'send', clientId: 'site-00003', body: 'drei' });
    const err = await clients[2]!.client.next('error');
    expect(err).toMatchObject({ code: 'rate_limited', ref: 'site-00003', retryAfterMs: expect.any(Number) });
    expect(await countRows(t, 'conversations')).toBe(2);
    // An existing conversation keeps going.
    clients[0]!.client.send({ type: 'send', clientId: 'site-00004', body: 'weiter' });
    expect((await clients[0]!.client.next('ack')).message.seq).toBe(2);
    await visitor(t); // the 4th socket
    const fifth = await FrameClient.open(wsUrl(t.url, '/ws/visitor'));
    fifth.send({ type: 'hello', site: 'demo', origin: t.origin, language: 'de' });
    expect(await fifth.next('error')).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect((await fifth.closed).code).toBe(4429);
  });
});

describe('logs', () => {
  it('contain no message text, tokens, passwords or addresses, even at debug level and on errors', async () => {
    const logs: string[] = [];
    t = await startTestServer({ logs });
    const admin = await login(t);
    const v = await visitor(t, { pageUrl: 'https://partner.example/secret-page' });
    const id = await conversationOf(v.client, 'log-00001', 'Geheimnis-Inhalt-42');
    await api(t, admin, 'GET', `/conversations/${id}`);
    await api(t, undefined, 'POST', '/auth/login', { email: 'x@example.org', password: 'wrong-password-99' });
    v.client.send('{"type":"send","clientId":"log-00002","body":');
    await v.client.next('error');
    await v.client.close();
    const all = logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of ['Geheimnis-Inhalt-42', v.token, 'wrong-password-99', admin.split('=')[1]!, '127.0.0.1', 'secret-page', id]) {
      expect(all, secret).not.toContain(secret);
    }
  });

  it('say when demo mode is on (it publishes a demo site), and nothing when it is off', async () => {
    const logs: string[] = [];
    t = await startTestServer({ logs });
    const demoLines = () => logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg.includes('demo mode is on'));
    expect(demoLines()).toHaveLength(1);
    expect(demoLines()[0]!.level).toBe(40); // warn
    await t.stop();
    logs.length = 0;
    t = await startTestServer({ logs, env: { DIRETURN_DEMO: 'false' } });
    expect(demoLines()).toEqual([]);
    expect((await fetch(`${t.url}/demo/`)).status).toBe(404);
  });

  it('contain no message text, tokens or addresses when a handler fails unexpectedly (HTTP, visitor and agent sockets)', async () => {
    const logs: string[] = [];
    t = await startTestServer({ logs });
    const admin = await login(t);
    const v = await visitor(t, { pageUrl: 'https://partner.example/secret-page' });
    const id = await conversationOf(v.client, 'log-00011', 'Erste-Nachricht-17');
    await api(t, admin, 'POST', `/conversations/${id}/claim`);
    const console = await agent(t, admin);
    // A real failure from the database below the services (as a full disk would be): no message or
    // conversation can be written any more. Not a domain error, so it takes the unexpected-error paths.
    for (const [table, event] of [['messages', 'INSERT'], ['conversations', 'UPDATE']] as const) await injectFailure(t, table, event);

    v.client.send({ type: 'send', clientId: 'log-00012', body: 'Geheimnis-Inhalt-43' });
    expect(await v.client.next('error')).toMatchObject({ code: 'internal', ref: 'log-00012' });
    console.send({ type: 'send', conversationId: id, clientId: 'log-00013', body: 'Antwort-Geheim-44' });
    expect(await console.next('error')).toMatchObject({ code: 'internal', ref: 'log-00013' });
    const closed = await api(t, admin, 'POST', `/conversations/${id}/close`);
    expect(closed.status).toBe(500);
    expect(closed.json.error).toEqual({ code: 'internal', message: 'Something went wrong on the server.' });
    await Promise.all([v.client.close(), console.close()]);

    const all = logs.join('\n');
    for (const secret of ['Geheimnis-Inhalt-43', 'Antwort-Geheim-44', 'Erste-Nachricht-17', v.token, admin.split('=')[1]!, '127.0.0.1', 'secret-page', id]) {
      expect(all, secret).not.toContain(secret);
    }
    // The failures were logged, once each, with the route pattern.
    const errors = logs.map((line) => JSON.parse(line) as { level: number; path?: string; err?: { message?: string } }).filter((l) => l.level >= 50);
    expect(errors).toHaveLength(3);
    expect(errors.every((l) => l.err?.message === 'injected storage failure')).toBe(true);
    expect(errors.map((l) => l.path)).toContain('/api/conversations/:id/close');
  });
});
