import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../realtime.js';
import { type ClientState, type SocketLike, SocketCore, type Timers } from './socket-core.js';
import { Outbox, SeenIds, SeqTracker } from './tracking.js';

/** Timers driven by the test: `advance` runs what is due, in order. */
class ManualTimers implements Timers {
  now = 0;
  #next = 1;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

/** A socket the test opens, feeds and closes. */
class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
  /** The server or the network closed it. */
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

/** A client as the widget and console write them: hello on open, accepted on welcome. */
class TestClient extends SocketCore {
  frames: { type: string }[] = [];
  states: ClientState[] = [];
  closes: number[] = [];
  /** What onClose answers. */
  reconnect: number | false = 0;
  protected onOpen(): void {
    this.raw({ type: 'hello' });
  }
  protected onFrame(frame: { type: string }): void {
    this.frames.push(frame);
    if (frame.type === 'welcome') this.accepted();
  }
  protected onClose(code: number): number | false {
    this.closes.push(code);
    return this.reconnect;
  }
  protected onState(state: ClientState): void {
    this.states.push(state);
  }
  send(frame: object): boolean {
    return this.raw(frame);
  }
}

function setup(random = () => 0.5) {
  FakeSocket.made = [];
  const timers = new ManualTimers();
  const client = new TestClient({
    url: 'ws://example.test/ws',
    WebSocket: FakeSocket,
    timers,
    random,
    backoffBaseMs: 500,
    backoffCapMs: 15_000,
    pingIntervalMs: 25_000,
    deadAfterMs: 10_000,
  });
  const last = () => FakeSocket.made[FakeSocket.made.length - 1]!;
  return { timers, client, last };
}

describe('the shared socket core', () => {
  it('says hello on open, goes online only when the server accepts, and hands over parsed frames', () => {
    const { client, last } = setup();
    client.connect();
    expect(client.state).toBe('connecting');
    last().open();
    expect(last().sent).toEqual([{ type: 'hello' }]);
    expect(client.state).toBe('connecting');
    last().receive(JSON.stringify({ type: 'welcome' }));
    expect(client.state).toBe('online');
    // Not JSON, not an object, not text: ignored without a throw.
    last().receive('{not json');
    last().receive('42');
    last().receive(new ArrayBuffer(4));
    last().receive(JSON.stringify({ type: 'message', id: 'm1' }));
    expect(client.frames.map((f) => f.type)).toEqual(['welcome', 'message']);
    expect(client.states).toEqual(['connecting', 'online']);
  });

  it('sends nothing while the socket is not open', () => {
    const { client, last } = setup();
    expect(client.send({ type: 'typing' })).toBe(false);
    client.connect();
    expect(client.send({ type: 'typing' })).toBe(false);
    last().open();
    expect(client.send({ type: 'typing' })).toBe(true);
  });

  it('reconnects after a drop with full-jitter backoff that doubles up to the cap, and starts over once accepted', () => {
    const { client, timers, last } = setup(() => 0.999);
    client.connect();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.made.length;
      last().drop(1006);
      expect(client.state).toBe('offline');
      const timer = [...timers.pending.values()][0]!;
      delays.push(timer.at - timers.now);
      timers.advance(timer.at - timers.now);
      expect(FakeSocket.made.length).toBe(before + 1);
    }
    // 0.999 · min(15 000, 500 · 2^n)
    expect(delays).toEqual([499, 999, 1998, 3996, 7992, 14985, 14985]);
    last().open();
    last().receive(JSON.stringify({ type: 'welcome' }));
    expect(client.attempt).toBe(0);
    last().drop(1006);
    expect([...timers.pending.values()][0]!.at - timers.now).toBe(499);
  });

  it('keeps at least the delay the client asks for (the server said "come back later")', () => {
    const { client, timers, last } = setup(() => 0);
    client.reconnect = 30_000;
    client.connect();
    last().drop(CLOSE_CODES.rateLimited);
    timers.advance(29_999);
    expect(FakeSocket.made.length).toBe(1);
    timers.advance(1);
    expect(FakeSocket.made.length).toBe(2);
  });

  it('stays offline when the client says so (session ended), and after disconnect', () => {
    const { client, timers, last } = setup();
    client.reconnect = false;
    client.connect();
    last().open();
    last().drop(CLOSE_CODES.resumedElsewhere);
    expect(client.closes).toEqual([CLOSE_CODES.resumedElsewhere]);
    timers.advance(60_000);
    expect(FakeSocket.made.length).toBe(1);
    expect(client.state).toBe('offline');

    const other = setup();
    other.client.connect();
    other.last().open();
    other.client.disconnect();
    expect(other.last().closedWith).toBe(CLOSE_CODES.normal);
    other.timers.advance(60_000);
    expect(FakeSocket.made.length).toBe(1);
    // A disconnect is not a close the client has to judge.
    expect(other.client.closes).toEqual([]);
  });

  it('pings while online and drops a connection that stays silent after a ping, then reconnects', () => {
    const { client, timers, last } = setup();
    client.connect();
    last().open();
    last().receive(JSON.stringify({ type: 'welcome' }));
    timers.advance(25_000);
    expect(last().sent).toEqual([{ type: 'hello' }, { type: 'ping' }]);
    // A pong in time keeps it.
    timers.advance(5_000);
    last().receive(JSON.stringify({ type: 'pong' }));
    timers.advance(20_000);
    expect(last().closedWith).toBeUndefined();
    // Another ping, then silence: dead after 10 s, closed here with the pong-timeout code.
    timers.advance(10_000);
    const dead = last();
    expect(dead.closedWith).toBe(CLOSE_CODES.pongTimeout);
    expect(client.closes).toEqual([CLOSE_CODES.pongTimeout]);
    expect(client.state).toBe('offline');
    timers.advance(15_000);
    expect(FakeSocket.made.length).toBe(2);
  });

  it('tries again at once when asked (the browser came back online), not while a socket is open', () => {
    const { client, last } = setup();
    client.connect();
    client.retryNow();
    expect(FakeSocket.made.length).toBe(1);
    last().drop(1006);
    client.retryNow();
    expect(FakeSocket.made.length).toBe(2);
    expect(client.attempt).toBe(0);
  });
});

describe('client bookkeeping', () => {
  it('tracks the last sequence number held without gaps', () => {
    const seq = new SeqTracker();
    seq.reset(3);
    for (const n of [5, 6, 4, 9]) seq.add(n);
    expect(seq.last).toBe(6);
    expect(seq.top).toBe(9);
    seq.add(8);
    seq.add(7);
    expect(seq.last).toBe(9);
    seq.add(2);
    expect(seq.last).toBe(9);
  });

  it('keeps unacknowledged messages in order and reports every change', () => {
    const changes: number[] = [];
    const box = new Outbox<{ clientId: string; body: string }>([], (items) => changes.push(items.length));
    box.add({ clientId: 'a', body: '1' });
    box.add({ clientId: 'b', body: '2' });
    expect(box.remove('zzz')).toBeUndefined();
    expect(box.remove('a')?.body).toBe('1');
    expect(box.items.map((i) => i.clientId)).toEqual(['b']);
    box.clear();
    expect(changes).toEqual([1, 2, 1, 0]);
  });

  it('knows a message id it has seen', () => {
    const seen = new SeenIds();
    expect(seen.fresh('m1')).toBe(true);
    expect(seen.fresh('m1')).toBe(false);
  });
});
