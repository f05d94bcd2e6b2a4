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

/** The peer address, or the first X-Forwarded-For entry behind a trusted reverse proxy. Never stored or logged. */
export function addressOfRequest(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
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
    const header = req.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress;
}
