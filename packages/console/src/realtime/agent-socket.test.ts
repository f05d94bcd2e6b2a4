import { expect, waitUntil } from '@open-wc/testing';
import { fakeWebSocketClass, message, sleep, agent } from '../test/helpers.js';
import { AgentSocket, backoffDelay, defaultAgentSocketUrl, type SocketState } from './agent-socket.js';

function setup(options: ConstructorParameters<typeof AgentSocket>[0] = {}) {
  const WS = fakeWebSocketClass();
  const socket = new AgentSocket({ url: 'ws://test/ws/agent', WebSocket: WS, baseDelayMs: 5, maxDelayMs: 50, random: () => 0.5, ...options });
  return { WS, socket };
}

async function connectReady(socket: AgentSocket, WS: ReturnType<typeof fakeWebSocketClass>, index: number) {
  await waitUntil(() => WS.instances.length > index, 'socket not (re)created');
  const ws = WS.instances[index]!;
  ws.serverOpen();
  ws.serverSend({ type: 'ready', agent });
  return ws;
}

describe('AgentSocket', () => {
  let socket: AgentSocket | undefined;
  afterEach(() => socket?.disconnect());

  it('derives ws/wss from the page location', () => {
    expect(defaultAgentSocketUrl({ protocol: 'https:', host: 'chat.example.org' })).to.equal('wss://chat.example.org/ws/agent');
    expect(defaultAgentSocketUrl({ protocol: 'http:', host: 'localhost:8080' })).to.equal('ws://localhost:8080/ws/agent');
  });

  it('becomes online only after ready and reports its state', async () => {
    const s = setup();
    socket = s.socket;
    const states: SocketState[] = [];
    socket.addEventListener('state', (e) => states.push(e.detail));
    socket.connect();
    expect(socket.state).to.equal('connecting');
    s.WS.instances[0]!.serverOpen();
    expect(socket.state).to.equal('connecting');
    s.WS.instances[0]!.serverSend({ type: 'ready', agent });
    expect(socket.state).to.equal('online');
    expect(socket.agent?.id).to.equal('a1');
    expect(states).to.deep.equal(['connecting', 'online']);
  });

  it('resends unacknowledged replies with the same clientId after a drop, then syncs the open conversation', async () => {
    const { WS, socket: s } = setup();
    socket = s;
    s.connect();
    const first = await connectReady(s, WS, 0);
    s.setOpenConversation('c1', 4);
    const pending = s.send('c1', 'Guten Tag');
    expect(pending.clientId).to.match(/^[A-Za-z0-9_-]{8,64}$/);
    const sent = first.frames().filter((f) => f.type === 'send');
    expect(sent).to.deep.equal([{ type: 'send', conversationId: 'c1', clientId: pending.clientId, body: 'Guten Tag' }]);

    first.serverDrop();
    expect(s.state).to.equal('offline');
    expect(s.outbox.map((p) => p.clientId)).to.deep.equal([pending.clientId]);

    const second = await connectReady(s, WS, 1);
    const frames = second.frames();
    expect(frames[0]).to.deep.equal({ type: 'send', conversationId: 'c1', clientId: pending.clientId, body: 'Guten Tag' });
    expect(frames[1]).to.deep.equal({ type: 'sync', conversationId: 'c1', afterSeq: 4 });

    const acked = message({ id: 'm5', seq: 5, author: 'agent', body: 'Guten Tag', clientId: pending.clientId, agentName: 'Anna' });
    second.serverSend({ type: 'ack', clientId: pending.clientId, message: acked });
    expect(s.outbox).to.have.length(0);
  });

  it('does not send while offline but keeps the reply in the outbox', async () => {
    const { WS, socket: s } = setup({ baseDelayMs: 10_000, maxDelayMs: 10_000 });
    socket = s;
    s.connect();
    const ws = WS.instances[0]!;
    s.send('c1', 'queued');
    ws.serverOpen();
    expect(ws.frames().filter((f) => f.type === 'send')).to.have.length(0);
    ws.serverSend({ type: 'ready', agent });
    expect(ws.frames().filter((f) => f.type === 'send')).to.have.length(1);
  });

  it('reports each message once, whether it arrives as message, synced or ack', async () => {
    const { WS, socket: s } = setup();
    socket = s;
    s.connect();
    const ws = await connectReady(s, WS, 0);
    const seen: string[] = [];
    s.addEventListener('message', (e) => seen.push(e.detail.id));
    const m1 = message({ id: 'm1', seq: 1 });
    const m2 = message({ id: 'm2', seq: 2 });
    ws.serverSend({ type: 'message', message: m1 });
    ws.serverSend({ type: 'message', message: m1 });
    ws.serverSend({ type: 'synced', conversationId: 'c1', messages: [m1, m2] });
    ws.serverSend({ type: 'ack', clientId: 'abcdefgh', message: m2 });
    expect(seen).to.deep.equal(['m1', 'm2']);
  });

  it('does not report messages marked as seen (loaded over REST)', async () => {
    const { WS, socket: s } = setup();
    socket = s;
    s.connect();
    const ws = await connectReady(s, WS, 0);
    const seen: string[] = [];
    s.addEventListener('message', (e) => seen.push(e.detail.id));
    s.markSeen([message({ id: 'm1' })]);
    ws.serverSend({ type: 'message', message: message({ id: 'm1' }) });
    expect(seen).to.deep.equal([]);
  });

  it('drops a refused send from the outbox and reports it', async () => {
    const { WS, socket: s } = setup();
    socket = s;
    s.connect();
    const ws = await connectReady(s, WS, 0);
    const pending = s.send('c1', 'too late');
    let refused = '';
    s.addEventListener('send-error', (e) => (refused = e.detail.error.code));
    ws.serverSend({ type: 'error', code: 'conversation_closed', message: 'closed', ref: pending.clientId });
    expect(refused).to.equal('conversation_closed');
    expect(s.outbox).to.have.length(0);
  });

  it('computes full-jitter exponential backoff with a cap', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0.999)).to.equal(999);
    expect(backoffDelay(3, 1000, 30_000, () => 0.999)).to.equal(7992);
    expect(backoffDelay(10, 1000, 30_000, () => 0.999)).to.equal(29_970);
    expect(backoffDelay(5, 1000, 30_000, () => 0)).to.equal(0);
    expect(backoffDelay(2, 1000, 30_000, () => 0.5)).to.equal(2000);
  });

  it('waits longer after each failed attempt and resets after ready', async () => {
    const { WS, socket: s } = setup({ baseDelayMs: 60, maxDelayMs: 1000, random: () => 0.99 });
    socket = s;
    s.connect();
    WS.instances[0]!.serverDrop(); // attempt 0: ~59 ms
    await sleep(20);
    expect(WS.instances).to.have.length(1);
    await waitUntil(() => WS.instances.length === 2, 'no reconnect', { timeout: 1000 });
    WS.instances[1]!.serverDrop(); // attempt 1: ~118 ms
    await sleep(80);
    expect(WS.instances).to.have.length(2);
    await waitUntil(() => WS.instances.length === 3, 'no second reconnect', { timeout: 1000 });
    expect(s.failedAttempts).to.equal(2);
    WS.instances[2]!.serverOpen();
    WS.instances[2]!.serverSend({ type: 'ready', agent });
    expect(s.failedAttempts).to.equal(0);
  });

  it('pings and treats a silent connection as dead', async () => {
    const { WS, socket: s } = setup({ pingIntervalMs: 20, deadAfterMs: 30 });
    socket = s;
    s.connect();
    const ws = await connectReady(s, WS, 0);
    await waitUntil(() => ws.frames().some((f) => f.type === 'ping'), 'no ping', { timeout: 500 });
    await waitUntil(() => ws.closed, 'silent connection not closed', { timeout: 500 });
    await waitUntil(() => WS.instances.length === 2, 'no reconnect after dead connection', { timeout: 500 });
  });

  it('stays connected while pongs arrive', async () => {
    const { WS, socket: s } = setup({ pingIntervalMs: 20, deadAfterMs: 40 });
    socket = s;
    s.connect();
    const ws = await connectReady(s, WS, 0);
    const answer = setInterval(() => ws.serverSend({ type: 'pong' }), 10);
    await sleep(150);
    clearInterval(answer);
    expect(ws.closed).to.equal(false);
    expect(s.state).to.equal('online');
  });

  it('stops reconnecting after disconnect', async () => {
    const { WS, socket: s } = setup();
    s.connect();
    await connectReady(s, WS, 0);
    s.disconnect();
    await sleep(60);
    expect(WS.instances).to.have.length(1);
    expect(s.state).to.equal('offline');
  });

  it('stops reconnecting and reports session-ended on close code 4401', async () => {
    const { WS, socket: s } = setup();
    socket = s;
    let ended = 0;
    s.addEventListener('session-ended', () => ended++);
    s.connect();
    const ws = await connectReady(s, WS, 0);
    ws.serverClose(4401);
    expect(ended).to.equal(1);
    expect(s.state).to.equal('offline');
    await sleep(120);
    expect(WS.instances).to.have.length(1);
  });
});
