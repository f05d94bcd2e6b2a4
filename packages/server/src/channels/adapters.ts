import type { ChannelAdapter, ChannelKind } from './channel.js';

/** The adapters of this process, by kind: the outbox handler sends each reply through its conversation's one. */
export class ChannelAdapters {
  private readonly byKind = new Map<ChannelKind, ChannelAdapter>();

  register(adapter: ChannelAdapter): void {
    if (this.byKind.has(adapter.kind)) throw new Error(`channels: an adapter for ${adapter.kind} is registered already`);
    this.byKind.set(adapter.kind, adapter);
  }

  get(kind: ChannelKind): ChannelAdapter | undefined {
    return this.byKind.get(kind);
  }

  get kinds(): ChannelKind[] {
    return [...this.byKind.keys()];
  }
}
