import { expect, waitUntil } from '@open-wc/testing';
import type { AgentDto, ConversationSummaryDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { AgentSocket } from '../realtime/agent-socket.js';
import { agent, conversation, fakeWebSocketClass, json, message, stubFetch } from '../test/helpers.js';
import { ConsoleStore, type NewMessageDetail } from './console-store.js';

const mine = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now(), unread: 0 });

async function setup(handler: Parameters<typeof stubFetch>[0] = () => undefined) {
  const stub = stubFetch((method, url, body) => {
    const handled = handler(method, url, body);
    if (handled) return handled;
    if (url === '/api/conversations?status=waiting') return json(200, { conversations: [conversation({ id: 'c2' })] });
    if (url === '/api/conversations?status=mine') return json(200, { conversations: [mine] });
    if (url === '/api/conversations/c1') return json(200, { conversation: mine, messages: [message()] });
    return undefined;
  });
  const api = new ApiClient({ fetch: stub.fetch });
  const WS = fakeWebSocketClass();
  const ended: (string | null)[] = [];
  const opened: (string | null)[] = [];
  const session = {
    agent: agent as AgentDto | null,
    phase: 'workspace' as const,
    handle: (err: unknown) => {
      const status = (err as { status?: number }).status;
      if (status === 401) ended.push(null);
      return status === 401;
    },
    verify: async () => {},
    ended: (reason: string | null) => void ended.push(reason),
    enrol: () => {},
  };
  const store = new ConsoleStore(() => api, () => new AgentSocket({ url: 'ws://test/ws/agent', WebSocket: WS, baseDelayMs: 10_000 }), session, {
    rendered: () => Promise.resolve(),
    focusComposer: async () => {},
    opened: (id) => void opened.push(id),
  });
  let changes = 0;
  store.addEventListener('change', () => changes++);
  await store.start();
  const ws = WS.instances[0]!;
  ws.serverOpen();
  ws.serverSend({ type: 'ready', agent });
  return { store, ws, stub, ended, opened, changes: () => changes };
}

describe('ConsoleStore', () => {
  before(() => initI18n('en'));

  it('loads the lists and counts what needs attention', async () => {
    const { store, changes } = await setup();
    expect(store.queue.map((c) => c.id)).to.deep.equal(['c2']);
    expect(store.mine.map((c) => c.id)).to.deep.equal(['c1']);
    expect(store.connection).to.equal('online');
    expect(store.attentionCount).to.equal(1);
    expect(changes()).to.be.greaterThan(0);
  });

  it('tells when a conversation starts waiting and when a visitor writes in one of mine', async () => {
    const { store, ws } = await setup();
    const waiting: ConversationSummaryDto[] = [];
    const messages: NewMessageDetail[] = [];
    store.addEventListener('new-waiting', (e) => waiting.push((e as CustomEvent<ConversationSummaryDto>).detail));
    store.addEventListener('new-message', (e) => messages.push((e as CustomEvent<NewMessageDetail>).detail));
    ws.serverSend({ type: 'conversation', conversation: conversation({ id: 'c3' }) });
    // an update of a conversation already waiting is not new work
    ws.serverSend({ type: 'conversation', conversation: conversation({ id: 'c3', lastSeq: 2 }) });
    ws.serverSend({ type: 'message', message: message({ id: 'x1', conversationId: 'c1', seq: 2, body: 'Hilfe' }) });
    // the counsellor's own reply is not
    ws.serverSend({ type: 'message', message: message({ id: 'x2', conversationId: 'c1', seq: 3, author: 'agent', body: 'Ja' }) });
    expect(waiting.map((c) => c.id)).to.deep.equal(['c3']);
    expect(messages.map((m) => m.message.body)).to.deep.equal(['Hilfe']);
    expect(messages[0]!.conversation.unread).to.equal(1);
    expect(store.attentionCount).to.equal(3);
  });

  it('opens a conversation, reports it for the address and forgets it when it is deleted', async () => {
    const { store, ws, opened } = await setup();
    const dropped: string[] = [];
    store.addEventListener('dropped', (e) => dropped.push((e as CustomEvent<string>).detail));
    await store.open('c1');
    expect(store.openConversation?.id).to.equal('c1');
    expect(store.openMessages).to.have.length(1);
    expect(opened).to.deep.equal(['c1']);
    ws.serverSend({ type: 'conversation-deleted', conversationId: 'c1' });
    expect(store.openId).to.equal(null);
    expect(store.mine).to.deep.equal([]);
    expect(opened).to.deep.equal(['c1', null]);
    expect(dropped).to.deep.equal(['c1']);
    expect(store.notice?.text).to.contain('deleted');
  });

  it('hands a lost session to the session controller', async () => {
    const { store, ended, ws } = await setup((_m, url) => (url === '/api/conversations/c9' ? json(401, { error: { code: 'unauthorized', message: 'x' } }) : undefined));
    await store.open('c9');
    expect(ended).to.deep.equal([null]);
    ws.serverClose(4401);
    await waitUntil(() => ended.length === 2);
    expect(ended[1]).to.equal('ended');
  });

  it('forgets the session on reset', async () => {
    const { store, ws } = await setup();
    await store.open('c1');
    store.reset();
    expect(store.queue).to.deep.equal([]);
    expect(store.mine).to.deep.equal([]);
    expect(store.openId).to.equal(null);
    expect(store.connection).to.equal('offline');
    expect(ws.closed).to.equal(true);
  });
});
