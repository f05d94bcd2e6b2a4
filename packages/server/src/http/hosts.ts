/**
 * Host allow-list against DNS rebinding: a page on evil.example whose name is made to resolve to
 * this server would otherwise talk to it as its own origin (and with SameSite cookies set for
 * it). Browsers always send the name they resolved in `Host`, so requests for names this server
 * does not go by are refused. Loopback names are always fine: a rebinding page cannot be called
 * "localhost", and the demo and tests reach the server that way.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host name of a Host header (no port), lower-case; undefined when there is none. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1) || undefined;
  return h.split(':')[0] || undefined;
}

export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  const name = hostName(header);
  return name !== undefined && (LOOPBACK.has(name) || allowed.includes(name));
}

export const UNKNOWN_HOST = 'This server does not answer to this host name. Set DIRETURN_PUBLIC_URL or DIRETURN_ALLOWED_HOSTS.';
