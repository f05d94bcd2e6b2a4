import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './server.js';

// The e2e package has no WebSocket client of its own (Node 20 has none built in): borrow the
// server's `ws` rather than installing one more package.
const require = createRequire(join(ROOT, 'packages/server/package.json'));
/** The part of `ws`'s client this file uses (the e2e package has no @types/ws). */
interface WsClient {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}
const WebSocket = require('ws') as new (url: string) => WsClient;

interface Msg { id: string; seq: number; clientId: string | null; body: string; author: string }

/**
 * A Node visitor client with the widget's resend rule (packages/widget/src/chat/connection.ts):
 * every message stays in the outbox until its `ack`; after a reconnect the client says hello with
 * its token and resends the whole outbox in order with the same client ids.
 */
export class ResendingVisitor {
  token: string | undefined;
  readonly outbox: Array<{ clientId: string; body: string }> = [];
  readonly acked = new Map<string, Msg>();
  readonly sentEver: string[] = [];
  private ws: WsClient | undefined;
  private ready = false;
  private stopped = false;
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly origin: string,
    readonly name: string,
  ) {}

  connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url.replace(/^http/, 'ws') + '/ws/visitor');
    this.ws = ws;
    this.ready = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', site: 'demo', origin: this.origin, language: 'de', ...(this.token ? { token: this.token } : {}) })));
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; [k: string]: unknown };
      if (f.type === 'welcome') {
        this.token = f.token as string;
        this.ready = true;
        for (const m of this.outbox) ws.send(JSON.stringify({ type: 'send', ...m }));
      } else if (f.type === 'ack') {
        const clientId = f.clientId as string;
        const i = this.outbox.findIndex((m) => m.clientId === clientId);
        if (i >= 0) this.outbox.splice(i, 1);
        this.acked.set(clientId, f.message as Msg);
      } else if (f.type === 'error' && f.code === 'rate_limited' && typeof f.ref === 'string') {
        const m = this.outbox.find((o) => o.clientId === f.ref);
        setTimeout(() => m && this.ready && ws.readyState === ws.OPEN && ws.send(JSON.stringify({ type: 'send', ...m })), Number(f.retryAfterMs ?? 200) + 20);
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.ready = false;
      setTimeout(() => this.connect(), 150);
    });
  }

  /** Queues a message and sends it now if connected. */
  write(): void {
    const m = { clientId: `${this.name}-msg-${String(this.counter++).padStart(6, '0')}`, body: `${this.name} Nachricht ${this.counter}` };
    this.outbox.push(m);
    this.sentEver.push(m.clientId);
    if (this.ready && this.ws?.readyState === this.ws?.OPEN) this.ws!.send(JSON.stringify({ type: 'send', ...m }));
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
  }

  /** Every stored message of this visitor, read on a fresh socket. */
  static async fetchAll(url: string, origin: string, token: string): Promise<Msg[]> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws/visitor');
    return new Promise((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', site: 'demo', origin, language: 'de', token, lastSeq: 0 })));
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { type: string; messages: Msg[]; token: string };
        if (f.type !== 'welcome') return;
        if (f.token !== token) reject(new Error('token not recognised'));
        ws.close();
        resolve(f.messages);
      });
      ws.on('error', reject);
    });
  }
}
