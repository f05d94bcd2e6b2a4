import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade may come from the page that sent it. Both sockets are opened only by
 * DiReturn's own pages (the chat frame, the console), so a browser's Origin must be DiReturn's:
 * the public URL's origin, or the host the request was addressed to (localhost vs 127.0.0.1,
 * a proxy that forwards another name). Browsers always send Origin and pages cannot change it.
 * No Origin at all means a non-browser client; it could forge any header, so the header proves
 * nothing there and it is let through to the checks after the upgrade (hello, session cookie).
 */
export function fromOwnOrigin(req: IncomingMessage, publicOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === publicOrigin) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // 'null' (sandboxed frames, file:) and garbage
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // Host only: behind a TLS-terminating proxy the scheme the browser used is not visible here.
  return url.host === req.headers.host?.toLowerCase();
}
