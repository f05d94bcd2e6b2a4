/** A controllable stand-in for WebSocket, for tests. */
import type { SocketLike, Timers } from './connection.js';

export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  static reset(): void {
    FakeSocket.instances = [];
  }
  static get last(): FakeSocket {
    const s = FakeSocket.instances.at(-1);
    if (!s) throw new Error('no socket was created');
    return s;
  }

  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code }));
  }
  // ---- driven by the test ----
  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  serverSend(frame: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }
  serverDrop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code }));
  }
  sentOfType(type: string): Record<string, unknown>[] {
    return this.sent.filter((f) => f['type'] === type);
  }
}

/** Timers the test fires by hand. */
export class ManualTimers implements Timers {
  private next = 1;
  pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Delays of the pending timers, in creation order. */
  get delays(): number[] {
    return [...this.pending.values()].map((t) => t.ms);
  }
  /** Runs every pending timer whose delay is `ms` (or all when omitted). */
  fire(ms?: number): void {
    for (const [id, t] of [...this.pending]) {
      if (ms === undefined || t.ms === ms) {
        this.pending.delete(id);
        t.fn();
      }
    }
  }
}

export { MemoryStorage } from './storage.js';
