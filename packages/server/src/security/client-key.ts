import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { IncomingMessage } from 'node:http';
import type { EphemeralStore } from '../cluster/ephemeral-store.js';

/**
 * Rate limits need to tell clients apart, but DiReturn promises not to store IP addresses. A client
 * is known only by an HMAC of its address under a random salt that lives in memory and is replaced
 * every 6 hours: the keys cannot be reversed, linked across salts or written anywhere.
 *
 * Several processes must key a client alike (a limit per client holds across them): then the salt
 * lives in the shared store (Redis memory, expiring after the lifetime, when the next process
 * to look makes a new one), and each process refreshes its copy every minute.
 */
export class ClientKeys {
  private salt = randomBytes(32);
  private saltAt = Date.now();

  constructor(
    private readonly saltLifetimeMs = 6 * 3600_000,
    private readonly shared?: EphemeralStore,
  ) {}

  /** Takes the installation's current salt from the shared store (creating it if none is there). */
  async refresh(): Promise<void> {
    if (!this.shared) return;
    await this.shared.setIfAbsent('client-key-salt', randomBytes(32).toString('base64'), this.saltLifetimeMs);
    const current = await this.shared.get('client-key-salt');
    if (current) {
      this.salt = Buffer.from(current, 'base64');
      this.saltAt = Date.now();
    }
  }

  keyOf(address: string | undefined): string {
    const now = Date.now();
    if (!this.shared && now - this.saltAt > this.saltLifetimeMs) {
      this.salt = randomBytes(32);
      this.saltAt = now;
    }
    return createHmac('sha256', this.salt).update(address ?? 'unknown').digest('base64url').slice(0, 22);
  }
}

/**
 * The last X-Forwarded-For entry: the address our trusted proxy appended. Entries before it come
 * from the client (or proxies we do not know) and can be anything, so a client could otherwise
 * pick a fresh address per request and slip past every rate limit.
 */
function lastForwarded(header: string | string[] | undefined): string | undefined {
  // Node joins repeated headers with ', ' (the header's last line is the proxy's); the type also allows an array.
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
}

/** The peer address, or the address our trusted reverse proxy saw. Never stored or logged. */
export function addressOfRequest(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = lastForwarded(c.req.header('x-forwarded-for'));
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function addressOfUpgrade(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = lastForwarded(req.headers['x-forwarded-for']);
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress;
}
