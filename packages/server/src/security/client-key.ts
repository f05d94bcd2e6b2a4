import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { IncomingMessage } from 'node:http';

/**
 * Rate limits need to tell clients apart, but DiReturn promises not to store IP addresses. A client
 * is known only by an HMAC of its address under a random salt that lives in memory and is replaced
 * every 6 hours: the keys cannot be reversed, linked across salts or written anywhere.
 */
export class ClientKeys {
  private salt = randomBytes(32);
  private saltAt = Date.now();

  constructor(private readonly saltLifetimeMs = 6 * 3600_000) {}

  keyOf(address: string | undefined): string {
    const now = Date.now();
    if (now - this.saltAt > this.saltLifetimeMs) {
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
