import { randomUUID } from 'node:crypto';
import type { Bus, BusEvent, BusHandler, LocalPayload } from './bus.js';

/** One process, no Redis: publishing is calling the subscribers. */
export class LocalBus implements Bus {
  readonly processId = randomUUID();
  protected readonly handlers = new Set<BusHandler>();

  publish(event: BusEvent, local?: LocalPayload): void {
    this.deliver(event, { from: this.processId, ...(local ? { local } : {}) });
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async ping(): Promise<void> {}

  /** An in-process bus is never interrupted. */
  onResumed(_handler: () => void): void {}

  async close(): Promise<void> {
    this.handlers.clear();
  }

  protected deliver(event: BusEvent, meta: Parameters<BusHandler>[1]): void {
    for (const h of this.handlers) h(event, meta);
  }
}
