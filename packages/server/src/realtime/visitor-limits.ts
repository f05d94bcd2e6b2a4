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

  /** @returns 0 when a new visitor socket may proceed, else ms to wait. */
  connection(siteId: string, clientKey: string): number {
    return Math.max(this.clientConnections.take(clientKey), this.siteConnections.take(siteId));
  }

  newConversation(siteId: string): number {
    return this.siteConversations.take(siteId);
  }
}
