// What proves a request came from Meta: the subscription handshake (GET) and the payload
// signature (POST). Both compare in constant time; neither logs what it compared.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { secretMatches } from '../webhook.js';

export type HandshakeResult = { ok: true; challenge: string } | { ok: false };

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`.
 * Answer the challenge as the body only when the token is the one the admin entered at Meta.
 */
export function verifyHandshake(query: (name: string) => string | undefined, verifyToken: string | undefined): HandshakeResult {
  const mode = query('hub.mode');
  const token = query('hub.verify_token');
  const challenge = query('hub.challenge');
  if (mode !== 'subscribe' || challenge === undefined) return { ok: false };
  // Meta sends a number; anything long or with markup is not from Meta and is not echoed.
  if (!/^[A-Za-z0-9_.-]{1,256}$/.test(challenge)) return { ok: false };
  return secretMatches(token, verifyToken) ? { ok: true, challenge } : { ok: false };
}

/** `sha256=<hex>` over the raw body bytes, as Meta sends it in X-Hub-Signature-256. */
export function signPayload(appSecret: string, rawBody: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export type SignatureResult = 'valid' | 'missing' | 'invalid';

/**
 * Checks `X-Hub-Signature-256` against the HMAC-SHA256 of the exact bytes received (the JSON must
 * not be parsed and re-serialised first: Meta escapes some characters, e.g. `\/` and `\u00e4`).
 */
export function verifySignature(appSecret: string | undefined, rawBody: Uint8Array, header: string | undefined): SignatureResult {
  if (!header) return 'missing';
  if (!appSecret) return 'invalid';
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return 'invalid';
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}
