import { KeyedBuckets } from './rate-limit.js';

/**
 * Limits above the single socket: visitor sockets per site and per client (salted address hash),
 * and new conversations per site. Per-socket frame limits live in each connection.
 */
export class VisitorLimits {
  private readonly siteConnections: KeyedBuckets;
  private readonly clientConnections: KeyedBuckets;
  private readonly siteConversations: KeyedBuckets;

  constructor(opts: { siteConnectionsPerMinute: number; siteNewConversationsPerMinute: number; clientConnectionsPerMinute: number }) {
    this.siteConnections = new KeyedBuckets(opts.siteConnectionsPerMinute);
    this.clientConnections = new KeyedBuckets(opts.clientConnectionsPerMinute);
    this.siteConversations = new KeyedBuckets(opts.siteNewConversationsPerMinute);
  }

  /** At the upgrade, before any frame (sockets that never say hello count too). @returns 0 when allowed, else ms to wait. */
  clientConnection(clientKey: string): number {
    return this.clientConnections.take(clientKey);
  }

  /** At hello, once the site is known. @returns 0 when allowed, else ms to wait. */
  siteConnection(siteId: string): number {
    return this.siteConnections.take(siteId);
  }

  newConversation(siteId: string): number {
    return this.siteConversations.take(siteId);
  }
}
