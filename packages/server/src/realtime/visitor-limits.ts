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
  ) {}

  /** @returns 0 when a new visitor socket may proceed, else ms to wait. */
  async connection(siteId: string, clientKey: string): Promise<number> {
    const [client, site] = await Promise.all([
      this.store.rate(`client-connections:${clientKey}`, this.opts.clientConnectionsPerMinute),
      this.store.rate(`site-connections:${siteId}`, this.opts.siteConnectionsPerMinute),
    ]);
    return Math.max(client, site);
  }

  newConversation(siteId: string): Promise<number> {
    return this.store.rate(`site-conversations:${siteId}`, this.opts.siteNewConversationsPerMinute);
  }
}
