// A small client for the one Graph API call DiReturn makes: POST …/messages. Plain fetch: there is
// no dominant, well-kept Meta SDK on npm (Meta's own `whatsapp` package is little used and old), and
// the call is one JSON POST with a bearer token. Its errors are sorted for the outbox: wait as Meta
// asks (RetryLater), try again with backoff (other errors), or give up with the reason in words
// (PermanentFailure). Error texts never contain the token, the recipient or the message.
import { PermanentFailure, RetryLater } from '../channel.js';
import { scrubReason } from './events.js';

/** When Meta throttles without saying how long: a minute. */
const DEFAULT_RETRY_AFTER_MS = 60_000;
const TIMEOUT_MS = 30_000;

export interface GraphOptions {
  /** DIRETURN_META_GRAPH_URL (a stand-in in tests). */
  baseUrl: string;
  /** DIRETURN_META_GRAPH_VERSION, e.g. v25.0. */
  version: string;
  timeoutMs?: number;
}

/** Meta's error object: { error: { message, type, code, error_subcode, error_data: { details } } }. */
export interface GraphErrorBody {
  message?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { details?: string } | string;
}

/** Meta's throttling codes (app, page, WhatsApp account and phone-number limits; pair rate limit). */
const THROTTLED = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** Temporary trouble on Meta's side: worth another try later. */
const TRANSIENT = new Set([1, 2, 131000, 131016]);
/** The access token is expired, revoked or wrong. */
const TOKEN = new Set([102, 190, 463, 467]);

/** Retry-After as seconds or an HTTP date → milliseconds from now. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function details(e: GraphErrorBody): string {
  const d = typeof e.error_data === 'string' ? e.error_data : e.error_data?.details;
  const message = e.message ?? '';
  return scrubReason(d && !message.includes(d) ? `${message} ${d}` : message);
}

/**
 * What a failed Graph call means for the outbox. `what` names the channel in the texts
 * ("WhatsApp", "Messenger", "Instagram").
 */
export function classifyGraphError(what: string, httpStatus: number, e: GraphErrorBody | undefined, retryAfter: number | undefined): Error {
  const code = e?.code;
  const said = e ? details(e) : '';
  const ref = code !== undefined ? ` (Meta error ${code}${e?.error_subcode ? `/${e.error_subcode}` : ''}${said ? `: ${said}` : ''})` : said ? ` (${said})` : '';
  if (httpStatus === 429 || (code !== undefined && THROTTLED.has(code))) {
    return new RetryLater(`${what}: Meta asks to send more slowly${ref}`, retryAfter ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (httpStatus >= 500 || (code !== undefined && TRANSIENT.has(code))) {
    const text = `${what}: Meta could not take the message just now (HTTP ${httpStatus})${ref}`;
    return retryAfter !== undefined ? new RetryLater(text, retryAfter) : new Error(text);
  }
  if (code === 131047 || (code === 10 && e?.error_subcode === 2018278)) {
    return new PermanentFailure(`${what}: the reply window is closed; the person must write again first${ref}`);
  }
  if (code === 551) return new PermanentFailure(`${what}: the person cannot be reached at the moment (they may have blocked the account or left)${ref}`);
  if (code === 131026) return new PermanentFailure(`${what}: the message could not be delivered to this person${ref}`);
  if (code !== undefined && TOKEN.has(code)) {
    return new PermanentFailure(`${what}: the access token is invalid or expired; an admin must enter a new one in the channel settings and retry${ref}`);
  }
  if (code !== undefined && code >= 132000 && code < 133000) return new PermanentFailure(`${what}: Meta refused the template${ref}`);
  if (code === 368 || code === 131031 || code === 130497) return new PermanentFailure(`${what}: Meta has restricted the business account${ref}`);
  if (code === 10 || (code !== undefined && code >= 200 && code < 300)) return new PermanentFailure(`${what}: the app lacks a permission for this${ref}`);
  if (httpStatus >= 400) return new PermanentFailure(`${what}: Meta refused the message (HTTP ${httpStatus})${ref}`);
  return new Error(`${what}: unexpected answer from Meta (HTTP ${httpStatus})${ref}`);
}

export class GraphClient {
  constructor(private readonly options: GraphOptions) {}

  /** POST {base}/{version}/{nodeId}/messages with a bearer token; resolves with Meta's JSON answer. */
  sendMessage(what: string, nodeId: string, token: string, body: unknown): Promise<Record<string, unknown>> {
    return this.call(what, 'POST', `${encodeURIComponent(nodeId)}/messages`, token, body);
  }

  /** GET {base}/{version}/{nodeId}?fields=… (connecting: does the token reach the number / page?). */
  getNode(what: string, nodeId: string, token: string, fields: string[]): Promise<Record<string, unknown>> {
    return this.call(what, 'GET', `${encodeURIComponent(nodeId)}?fields=${encodeURIComponent(fields.join(','))}`, token);
  }

  /** POST {base}/{version}/{pageId}/subscribed_apps: the page sends this app its messaging events. */
  subscribePage(what: string, pageId: string, token: string, fields: string[]): Promise<Record<string, unknown>> {
    return this.call(what, 'POST', `${encodeURIComponent(pageId)}/subscribed_apps?subscribed_fields=${encodeURIComponent(fields.join(','))}`, token);
  }

  private async call(what: string, method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/${this.options.version}/${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (err) {
      // Network trouble or a timeout: the message may or may not have gone out; the outbox tries again.
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new Error(`${what}: Meta's Graph API could not be reached (${cause})`);
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok && json && typeof json === 'object') return json as Record<string, unknown>;
    const error = (json as { error?: GraphErrorBody } | undefined)?.error;
    throw classifyGraphError(what, res.ok ? 502 : res.status, error, parseRetryAfter(res.headers.get('retry-after')));
  }
}
