import type { MiddlewareHandler } from 'hono';
import type { ErrorBody } from '@direturn/protocol';
import { errorResponse } from './errors.js';
import { hostAllowed, UNKNOWN_HOST } from './hosts.js';

/**
 * Headers every response gets. Page-specific CSPs are set where the page is served. HSTS only when
 * DiReturn is reached over https (DIRETURN_PUBLIC_URL), so a plain-http test set-up is not locked out.
 */
export function baseHeaders(opts: { hsts: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    // Pages that hold a call (the chat frame, the console) or embed the chat set their own.
    if (!c.res.headers.has('Permissions-Policy')) c.header('Permissions-Policy', NO_DEVICES);
    if (opts.hsts) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}

/** What every response allows by default: no camera, microphone, location or payment. */
export const NO_DEVICES = 'camera=(), microphone=(), geolocation=(), payment=()';

/**
 * For the documents that hold a call (the chat frame, the console): camera and microphone for
 * DiReturn's own origin. In the chat frame this is only the ceiling: the embedding page grants
 * them through the frame's `allow` attribute, and the widget sets that only when the visitor
 * accepts a call (docs/calls.md).
 */
export const CALL_DEVICES = 'camera=(self), microphone=(self), geolocation=(), payment=()';

/**
 * For DiReturn's own pages that embed the chat (the demo page, the information pages): they may
 * hand camera and microphone on to the chat frame on DiReturn's origin (`publicOrigin`).
 */
export const embedderDevices = (publicOrigin: string): string =>
  `camera=(self "${publicOrigin}"), microphone=(self "${publicOrigin}"), geolocation=(), payment=()`;

export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** `scriptHashes`: the inline scripts the frame document may run, by hash (its first screen's focus). */
export const frameCsp = (hostOrigin: string, scriptHashes: readonly string[] = []): string =>
  `default-src 'none'; script-src ${["'self'", ...scriptHashes].join(' ')}; style-src 'self' 'unsafe-inline'; ` +
  "connect-src 'self'; img-src 'self' data:; " +
  `font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${hostOrigin}`;

/**
 * State-changing API calls must come from the console's own origin (a browser always sends Origin
 * on cross-site POSTs): a page elsewhere cannot act with a counsellor's cookie.
 *
 * The console's origin is the public URL's: behind a TLS-terminating proxy the request arrives as
 * http:// while the browser says https://. The request's own origin (from its Host header, which a
 * cross-site page cannot set) stays accepted, so a server reached under another name than
 * DIRETURN_PUBLIC_URL (127.0.0.1, a LAN address) keeps working.
 */
export function sameOriginWrites(publicUrl: string): MiddlewareHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== publicOrigin && origin !== new URL(c.req.url).origin) {
        return errorResponse(c, 'forbidden', 'Cross-origin requests are not allowed.');
      }
    }
    await next();
  };
}

/**
 * API answers carry conversation content, agent data and audit entries: no browser or proxy cache
 * may keep them (a shared computer at a counselling office, a caching proxy in between).
 */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  };
}

/** Refuses requests for host names this server does not go by (http/hosts.ts); /healthz answers probes under any name. */
export function allowedHostsOnly(allowed: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path !== '/healthz' && !hostAllowed(c.req.header('host'), allowed)) {
      return c.json({ error: { code: 'forbidden', message: UNKNOWN_HOST } } satisfies ErrorBody, 421);
    }
    await next();
  };
}
