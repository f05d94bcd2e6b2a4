import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

// What every channel's webhook does the same way (transport helpers; the adapters' routes use them).

/** Compares a secret a request presents with the stored one in constant time (also for different lengths). */
export function secretMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  // Digests of equal length: timingSafeEqual needs them, and the length of the secret stays hidden.
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** Provider events are small; anything larger is refused before it is read whole. */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * The raw body (signatures are computed over the exact bytes), or undefined when it is larger than
 * `maxBytes`. Read only after the request is known to come from an account (its URL).
 */
export async function readWebhookBody(c: Context, maxBytes = WEBHOOK_MAX_BYTES): Promise<Buffer | undefined> {
  if (Number(c.req.header('content-length') ?? '0') > maxBytes) return undefined;
  const body = Buffer.from(await c.req.arrayBuffer());
  return body.length > maxBytes ? undefined : body;
}

/** Account ids are UUIDs: anything else in the URL is an unknown account without a database query. */
export const isAccountId = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
