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

  /** At the upgrade, before any frame (sockets that never say hello count too). @returns 0 when allowed, else ms to wait. */
  clientConnection(clientKey: string): Promise<number> {
    return this.take(`client-connections:${clientKey}`, this.opts.clientConnectionsPerMinute);
  }

  /** At hello, once the site is known. @returns 0 when allowed, else ms to wait. */
  siteConnection(siteId: string): Promise<number> {
    return this.take(`site-connections:${siteId}`, this.opts.siteConnectionsPerMinute);
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
