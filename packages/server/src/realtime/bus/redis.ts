import type { Redis } from 'ioredis';
import type { BusEnvelope, BusEvent, LocalPayload } from './bus.js';
import { LocalBus } from './local.js';

/**
 * Processes talk over one Redis pub/sub channel. A dedicated connection subscribes (a subscribed
 * Redis connection can do nothing else); the other publishes. Events this process published are
 * delivered locally at once and skipped when Redis echoes them back.
 */
export class RedisBus extends LocalBus {
  private closed = false;
  private interrupted = false;
  private readonly resumed = new Set<() => void>();

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly channel: string,
    private readonly onError: (err: Error) => void,
  ) {
    super();
  }

  static async connect(pub: Redis, sub: Redis, opts: { channel?: string; onError: (err: Error) => void }): Promise<RedisBus> {
    const bus = new RedisBus(pub, sub, opts.channel ?? 'direturn:bus', opts.onError);
    sub.on('message', (channel: string, raw: string) => {
      if (channel === bus.channel) bus.receive(raw);
    });
    // ioredis reconnects and subscribes again by itself; what was published meanwhile is gone.
    sub.on('close', () => {
      if (!bus.closed) bus.interrupted = true;
    });
    sub.on('ready', () => {
      if (!bus.interrupted || bus.closed) return;
      bus.interrupted = false;
      for (const h of bus.resumed) h();
    });
    await sub.subscribe(bus.channel);
    return bus;
  }

  override publish(event: BusEvent, local?: LocalPayload): void {
    super.publish(event, local);
    const envelope: BusEnvelope = { from: this.processId, at: Date.now(), event };
    this.pub.publish(this.channel, JSON.stringify(envelope)).catch((err: Error) => {
      // Lost for the other processes; their clients catch up when they next sync.
      if (!this.closed) this.onError(err);
    });
  }

  override async ping(): Promise<void> {
    if (this.sub.status !== 'ready') throw new Error(`Redis subscription is ${this.sub.status}`);
    await this.pub.ping();
  }

  override onResumed(handler: () => void): void {
    this.resumed.add(handler);
  }

  override async close(): Promise<void> {
    this.closed = true;
    await super.close();
    await this.sub.quit().catch(() => this.sub.disconnect());
    await this.pub.quit().catch(() => this.pub.disconnect());
  }

  private receive(raw: string): void {
    let envelope: BusEnvelope;
    try {
      envelope = JSON.parse(raw) as BusEnvelope;
    } catch {
      return; // not ours
    }
    if (!envelope || typeof envelope.from !== 'string' || envelope.from === this.processId || !envelope.event) return;
    this.deliver(envelope.event, { from: envelope.from, lagMs: Math.max(0, Date.now() - envelope.at) });
  }
}
