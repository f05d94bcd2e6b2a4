import type { EphemeralStore } from '../cluster/ephemeral-store.js';

/**
 * Limits above the single socket: visitor sockets per site and per client (salted address hash),
 * and new conversations per site. Per-socket frame limits live in each connection. The buckets
 * live in the installation's shared store, so the limits hold across processes.
 */
export class VisitorLimits {
  constructor(
    private readonly store: EphemeralStore,
    private readonly opts: { siteConnectionsPerMinute: number; siteNewConversationsPerMinute: number; clientConnectionsPerMinute: number },
    /** Told when the shared store cannot be asked (then the limit lets the visitor through). */
    private readonly onStoreError: (err: Error) => void = () => undefined,
  ) {}

  /** @returns 0 when a new visitor socket may proceed, else ms to wait. */
  async connection(siteId: string, clientKey: string): Promise<number> {
    const [client, site] = await Promise.all([
      this.take(`client-connections:${clientKey}`, this.opts.clientConnectionsPerMinute),
      this.take(`site-connections:${siteId}`, this.opts.siteConnectionsPerMinute),
    ]);
    return Math.max(client, site);
  }

  newConversation(siteId: string): Promise<number> {
    return this.take(`site-conversations:${siteId}`, this.opts.siteNewConversationsPerMinute);
  }

  /**
   * Open when Redis is down: these limits defend against floods, and refusing every person who
   * wants to write while Redis restarts would do the flood's work. Each process keeps its own
   * per-socket frame limits meanwhile.
   */
  private async take(key: string, perMinute: number): Promise<number> {
    try {
      return await this.store.rate(key, perMinute);
    } catch (err) {
      this.onStoreError(err as Error);
      return 0;
    }
  }
}
