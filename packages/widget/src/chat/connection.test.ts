import { expect } from '@open-wc/testing';
import type { MessageDto } from '@direturn/protocol';
import { VisitorConnection, newClientId } from './connection.js';
import { toRows } from './chat-messages.js';
import { FakeSocket, ManualTimers, MemoryStorage } from './fake-socket.test-util.js';

const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz';
const conversation = { id: 'c1', status: 'active' as const, language: 'de' as const, lastSeq: 0, agentReadSeq: 0, agentName: 'Lena' };

function msg(seq: number, extra: Partial<MessageDto> = {}): MessageDto {
  return { id: `m${seq}`, conversationId: 'c1', seq, author: 'agent', body: `hi ${seq}`, clientId: null, agentName: 'Lena', createdAt: 1_700_000_000_000 + seq, ...extra };
}

function setup(storage = new MemoryStorage()) {
  FakeSocket.reset();
  const timers = new ManualTimers();
  const conn = new VisitorConnection({
    url: 'ws://test/ws/visitor',
    site: 'site1',
    origin: 'https://partner.example',
    language: 'de',
    WebSocket: FakeSocket,
    storage,
    timers,
    random: () => 0.999999,
    onlineTarget: new EventTarget(),
  });
  return { conn, timers, storage };
}

function welcome(socket: FakeSocket, messages: MessageDto[] = [], extra: Record<string, unknown> = {}) {
  socket.serverSend({ type: 'welcome', token: TOKEN, visitorId: 'v1', conversation: { ...conversation, lastSeq: messages.at(-1)?.seq ?? 0 }, messages, agentsOnline: true, ...extra });
}

describe('VisitorConnection', () => {
  it('never lets a read mark go backwards: not for a stale frame, not for an earlier conversation after a new one began', () => {
    const { conn } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    const mine = (seq: number, conversationId = 'c1') =>
      msg(seq, { id: `${conversationId}-${seq}`, conversationId, author: 'visitor', agentName: null, clientId: `client-${conversationId}-${seq}`, createdAt: (conversationId === 'c1' ? 1_000 : 2_000) + seq });
    welcome(FakeSocket.last, [mine(1), mine(2)]);
    FakeSocket.last.serverSend({ type: 'read', conversationId: 'c1', by: 'agent', seq: 2 });
    expect(conn.conversation?.agentReadSeq).to.equal(2);
    // An older conversation frame (sent before the read) arrives late.
    FakeSocket.last.serverSend({ type: 'conversation', conversation: { ...conversation, status: 'closed', lastSeq: 2, agentReadSeq: 1 } });
    expect(conn.conversation?.agentReadSeq).to.equal(2);
    // Closed; the visitor writes again and a new conversation begins.
    FakeSocket.last.serverSend({ type: 'message', message: mine(1, 'c2') });
    FakeSocket.last.serverSend({ type: 'conversation', conversation: { ...conversation, id: 'c2', status: 'waiting', lastSeq: 1, agentReadSeq: 0 } });
    expect(conn.conversation?.id).to.equal('c2');
    expect(conn.readMarks.get('c1')).to.equal(2);
    const rows = toRows(conn.messages, [], [], 'c2', conn.conversation!.agentReadSeq, conn.readMarks);
    expect(rows.map((r) => r.state)).to.deep.equal(['read', 'read', 'sent']);
  });

  it('generates client ids the server accepts', () => {
    for (let i = 0; i < 20; i++) expect(newClientId()).to.match(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('says hello without a token the first time and stores the token from welcome', () => {
    const { conn, storage } = setup();
    conn.connect();
    expect(conn.state).to.equal('connecting');
    const socket = FakeSocket.last;
    expect(socket.url).to.equal('ws://test/ws/visitor');
    socket.serverOpen();
    const [hello] = socket.sentOfType('hello');
    expect(hello).to.deep.equal({ type: 'hello', site: 'site1', origin: 'https://partner.example', language: 'de', lastSeq: 0 });
    welcome(socket);
    expect(storage.getItem('direturn:v1:token:site1')).to.equal(TOKEN);
    expect(conn.state).to.equal('online');
  });

  it('sends the stored token and the last seq it holds on reconnect', () => {
    const storage = new MemoryStorage();
    storage.setItem('direturn:v1:token:site1', TOKEN);
    const { conn, timers } = setup(storage);
    conn.connect();
    FakeSocket.last.serverOpen();
    expect(FakeSocket.last.sentOfType('hello')[0]).to.include({ token: TOKEN, lastSeq: 0 });
    welcome(FakeSocket.last, [msg(1), msg(2)]);
    FakeSocket.last.serverDrop();
    expect(conn.state).to.equal('offline');
    timers.fire();
    FakeSocket.last.serverOpen();
    expect(FakeSocket.last.sentOfType('hello')[0]).to.include({ token: TOKEN, lastSeq: 2 });
  });

  it('persists the outbox and resends unacknowledged messages with the same clientId after a drop', () => {
    const { conn, timers, storage } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    welcome(FakeSocket.last);
    const a = conn.send('first');
    const b = conn.send('second');
    const stored = JSON.parse(storage.getItem('direturn:v1:outbox:site1') ?? '[]') as { clientId: string }[];
    expect(stored.map((i) => i.clientId)).to.deep.equal([a, b]);
    expect(FakeSocket.last.sentOfType('send').map((f) => f['clientId'])).to.deep.equal([a, b]);

    // the first is acknowledged, then the socket dies before the second is
    FakeSocket.last.serverSend({ type: 'ack', clientId: a, message: msg(1, { author: 'visitor', clientId: a, body: 'first', agentName: null }) });
    FakeSocket.last.serverDrop();
    timers.fire();
    const socket = FakeSocket.last;
    socket.serverOpen();
    welcome(socket, []);
    expect(socket.sentOfType('send')).to.deep.equal([{ type: 'send', clientId: b, body: 'second' }]);

    // the ack for b arrives twice; the message arrives again through sync: one message each
    const ackB = { type: 'ack', clientId: b, message: msg(2, { author: 'visitor', clientId: b, body: 'second', agentName: null }) };
    socket.serverSend(ackB);
    socket.serverSend(ackB);
    socket.serverSend({ type: 'synced', conversationId: 'c1', messages: [ackB.message] });
    expect(conn.messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    expect(conn.outbox).to.have.length(0);
    expect(storage.getItem('direturn:v1:outbox:site1')).to.equal(null);
  });

  it('restores the outbox from storage after a reload and sends it once welcomed', () => {
    const storage = new MemoryStorage();
    storage.setItem('direturn:v1:outbox:site1', JSON.stringify([{ clientId: 'abcdefgh1234', body: 'lost?', createdAt: 1 }]));
    const { conn } = setup(storage);
    expect(conn.outbox.map((i) => i.body)).to.deep.equal(['lost?']);
    conn.connect();
    FakeSocket.last.serverOpen();
    expect(FakeSocket.last.sentOfType('send')).to.have.length(0); // not before welcome
    welcome(FakeSocket.last);
    expect(FakeSocket.last.sentOfType('send')).to.deep.equal([{ type: 'send', clientId: 'abcdefgh1234', body: 'lost?' }]);
  });

  it('ignores duplicate messages and asks for missing ones with sync', () => {
    const { conn } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    welcome(FakeSocket.last, [msg(1)]);
    FakeSocket.last.serverSend({ type: 'message', message: msg(1) });
    FakeSocket.last.serverSend({ type: 'message', message: msg(3) });
    expect(conn.messages.map((m) => m.seq)).to.deep.equal([1, 3]);
    expect(FakeSocket.last.sentOfType('sync')).to.deep.equal([{ type: 'sync', afterSeq: 1 }]);
    FakeSocket.last.serverSend({ type: 'synced', conversationId: 'c1', messages: [msg(2), msg(3)] });
    expect(conn.messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
    expect(conn.highestSeq).to.equal(3);
  });

  it('backs off exponentially with full jitter up to the cap', () => {
    const { conn, timers } = setup();
    conn.connect();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      FakeSocket.last.serverDrop();
      delays.push(...timers.delays);
      timers.fire();
    }
    // random() ~ 1, so each delay is just under its ceiling: 500, 1000, 2000, ... capped at 15000
    expect(delays).to.deep.equal([499, 999, 1999, 3999, 7999, 14999, 14999, 14999]);
    expect(conn.backoffDelay(3)).to.be.below(4000);
  });

  it('treats a missing pong as a dead connection', () => {
    const { conn, timers } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    welcome(FakeSocket.last);
    const first = FakeSocket.last;
    timers.fire(25_000);
    expect(first.sentOfType('ping')).to.have.length(1);
    timers.fire(10_000);
    expect(conn.state).to.equal('offline');
    timers.fire();
    expect(FakeSocket.last).to.not.equal(first);
  });

  it('stops for good when the site is not allowed', () => {
    const { conn, timers } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    FakeSocket.last.serverSend({ type: 'error', code: 'origin_not_allowed', message: 'no' });
    FakeSocket.last.serverDrop(4403);
    expect(conn.fatalError).to.equal('origin_not_allowed');
    expect(conn.state).to.equal('offline');
    expect(timers.delays).to.deep.equal([]);
  });

  it('moves a refused message to failed, keeping its text', () => {
    const { conn } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    welcome(FakeSocket.last);
    const id = conn.send('x'.repeat(10));
    FakeSocket.last.serverSend({ type: 'error', code: 'too_large', message: 'too large', ref: id });
    expect(conn.outbox).to.have.length(0);
    expect(conn.failed).to.deep.include({ clientId: id, body: 'x'.repeat(10), createdAt: conn.failed[0]!.createdAt, code: 'too_large' });
  });

  it('keeps the privacy notice of the welcome', () => {
    const { conn } = setup();
    conn.connect();
    FakeSocket.last.serverOpen();
    const privacy = { language: 'de', text: 'Wir speichern…', links: [], retentionDays: 90 };
    welcome(FakeSocket.last, [], { privacy });
    expect(conn.privacy).to.deep.equal(privacy);
  });

  describe('delete my data', () => {
    function online(storage = new MemoryStorage()) {
      const s = setup(storage);
      s.conn.connect();
      FakeSocket.last.serverOpen();
      welcome(FakeSocket.last, [msg(1)]);
      return s;
    }

    it('sends delete, then forgets token, outbox and messages and does not reconnect after 4410', () => {
      const { conn, timers, storage } = online();
      const socket = FakeSocket.last;
      socket.serverDrop(1006); // make the outbox non-empty while offline…
      timers.fire();
      const pending = conn.send('not yet sent');
      expect(storage.getItem('direturn:v1:outbox:site1')).to.contain(pending);
      FakeSocket.last.serverOpen();
      const events: string[] = [];
      conn.addEventListener('deleted', () => events.push('deleted'));
      // …the delete goes out once welcomed, instead of the outbox
      conn.deleteData();
      expect(conn.deleting).to.equal(true);
      welcome(FakeSocket.last, [msg(1)]);
      const live = FakeSocket.last;
      expect(live.sentOfType('delete')).to.deep.equal([{ type: 'delete' }]);
      expect(live.sentOfType('send')).to.deep.equal([]);

      live.serverSend({ type: 'deleted' });
      live.serverDrop(4410);
      expect(events).to.deep.equal(['deleted']);
      expect(conn.deleted).to.equal(true);
      expect(conn.deleting).to.equal(false);
      expect(conn.messages).to.deep.equal([]);
      expect(conn.conversation).to.equal(null);
      expect(conn.outbox).to.deep.equal([]);
      expect(storage.getItem('direturn:v1:token:site1')).to.equal(null);
      expect(storage.getItem('direturn:v1:outbox:site1')).to.equal(null);
      expect(conn.state).to.equal('offline');
      const sockets = FakeSocket.instances.length;
      timers.fire();
      expect(FakeSocket.instances.length, 'no reconnect with the old token').to.equal(sockets);
    });

    it('treats a bare 4410 close (other tab deleted) like the deleted frame', () => {
      const { conn, timers, storage } = online();
      FakeSocket.last.serverDrop(4410);
      timers.fire();
      expect(conn.deleted).to.equal(true);
      expect(storage.getItem('direturn:v1:token:site1')).to.equal(null);
      expect(FakeSocket.instances).to.have.length(1);
    });

    it('starts fresh, without a token, only when the visitor writes again', () => {
      const { conn } = online();
      FakeSocket.last.serverSend({ type: 'deleted' });
      expect(FakeSocket.instances).to.have.length(1);
      const id = conn.send('neu anfangen');
      expect(conn.deleted).to.equal(false);
      const fresh = FakeSocket.last;
      expect(FakeSocket.instances).to.have.length(2);
      fresh.serverOpen();
      expect(fresh.sentOfType('hello')[0]).to.not.have.property('token');
      expect(fresh.sentOfType('hello')[0]).to.include({ lastSeq: 0 });
      welcome(fresh);
      expect(fresh.sentOfType('send')).to.deep.equal([{ type: 'send', clientId: id, body: 'neu anfangen' }]);
    });
  });

  describe('limits', () => {
    it('holds a rate-limited send (and later ones) for retryAfterMs, then sends them in order', () => {
      const { conn, timers } = setup();
      conn.connect();
      FakeSocket.last.serverOpen();
      welcome(FakeSocket.last);
      const socket = FakeSocket.last;
      const a = conn.send('a');
      socket.serverSend({ type: 'error', code: 'rate_limited', message: 'slow', ref: a, retryAfterMs: 1200 });
      expect(conn.holding).to.equal(true);
      const b = conn.send('b');
      expect(socket.sentOfType('send').map((f) => f['clientId'])).to.deep.equal([a]);
      expect(conn.outbox.map((i) => i.clientId)).to.deep.equal([a, b]);
      expect(conn.failed).to.deep.equal([]);
      timers.fire(1200);
      expect(socket.sentOfType('send').map((f) => f['clientId'])).to.deep.equal([a, a, b]);
      expect(conn.holding).to.equal(false);
    });

    it('waits at least retryAfterMs after 4429 and says so while waiting', () => {
      const { conn, timers } = setup();
      conn.connect();
      FakeSocket.last.serverOpen();
      FakeSocket.last.serverSend({ type: 'error', code: 'rate_limited', message: 'busy', retryAfterMs: 30_000 });
      FakeSocket.last.serverDrop(4429);
      expect(conn.throttled).to.equal(true);
      expect(conn.fatalError).to.equal(null);
      expect(timers.delays).to.deep.equal([30_000]);
      timers.fire();
      FakeSocket.last.serverOpen();
      welcome(FakeSocket.last);
      expect(conn.throttled).to.equal(false);
      expect(conn.state).to.equal('online');
    });

    it('refuses a message too big for one frame at once instead of resending it forever', () => {
      const { conn } = setup();
      conn.connect();
      FakeSocket.last.serverOpen();
      welcome(FakeSocket.last);
      // 4000 characters, but each one is escaped to six bytes in JSON
      const id = conn.send('\u0001'.repeat(4000));
      expect(conn.outbox).to.deep.equal([]);
      expect(conn.failed.map((f) => [f.clientId, f.code])).to.deep.equal([[id, 'too_large']]);
      expect(FakeSocket.last.sentOfType('send')).to.deep.equal([]);
    });

    it('shows a refused send (bad_request with ref) as failed', () => {
      const { conn } = setup();
      conn.connect();
      FakeSocket.last.serverOpen();
      welcome(FakeSocket.last);
      const id = conn.send('x');
      FakeSocket.last.serverSend({ type: 'error', code: 'bad_request', message: 'no', ref: id });
      expect(conn.failed.map((f) => [f.clientId, f.code])).to.deep.equal([[id, 'bad_request']]);
    });
  });
});
