import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** DIRETURN_METRICS and DIRETURN_METRICS_TOKEN. */
export interface MetricsAccess {
  access: 'local' | 'off';
  token: string | undefined;
}

/** Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its socket says. */
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

function sameSecret(given: string, expected: string): boolean {
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who may read /metrics. `off`: nobody (404). `local` (default): a client on this machine talking
 * to the process directly: a loopback peer AND no proxy header, because a reverse proxy on the
 * same host connects from loopback too, on behalf of anyone on the internet. With a token, also
 * `Authorization: Bearer <token>` from anywhere.
 */
export function metricsAccess(c: Context, rules: MetricsAccess): 'allowed' | 'off' | 'refused' {
  if (rules.access === 'off') return 'off';
  const auth = c.req.header('authorization');
  if (rules.token && auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), rules.token)) return 'allowed';
  if (PROXY_HEADERS.some((h) => c.req.header(h) !== undefined)) return 'refused';
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  return isLoopback(peer) ? 'allowed' : 'refused';
}
