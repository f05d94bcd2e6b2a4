// A local stand-in for Meta's Graph API, for tests (Meta cannot be reached from CI): it speaks the
// documented wire format of POST /{version}/{node-id}/messages (and what connecting uses: GET
// /{version}/{node-id}?fields=…, POST /{version}/{page-id}/subscribed_apps), records what DiReturn
// sends, can answer 429 / 500 / any Graph error, and posts signed webhooks (built from the
// documented fixtures) to DiReturn.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPayload } from '../channels/meta/verify.js';
import { api, type TestServer } from './harness.js';
import { payload } from './meta-fixtures.js';

export interface RecordedSend {
  /** The node the message was posted to (phone number id or page id). */
  nodeId: string;
  version: string;
  /** The bearer token. */
  token: string | undefined;
  body: Record<string, any>;
}

export interface StandInAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class MetaGraphStandIn {
  /** Every POST …/messages, in order (also those answered with an error). */
  readonly sends: RecordedSend[] = [];
  /** Accepted sends with the message id the stand-in gave them (raw, as Meta would). */
  readonly accepted: Array<RecordedSend & { messageId: string }> = [];
  private readonly queued: StandInAnswer[] = [];
  /** Message ids the next accepted sends get (raw, as Meta's), so a test can post their statuses early. */
  readonly nextMessageIds: string[] = [];
  /** When set, a call with another bearer token gets Meta's invalid-token error (190). */
  validTokens: Set<string> | undefined;
  /** Connecting: the nodes DiReturn looked up and the pages it subscribed. */
  readonly lookups: Array<{ nodeId: string; fields: string; token: string | undefined }> = [];
  readonly subscriptions: Array<{ pageId: string; fields: string; token: string | undefined }> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MetaGraphStandIn> {
    let standIn: MetaGraphStandIn | undefined;
    const server = createServer((req, res) => void standIn!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn = new MetaGraphStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return standIn;
  }

  /** The next `count` sends get this answer instead of success (in order, after earlier queued ones). */
  failNext(count: number, answer: StandInAnswer): void {
    for (let i = 0; i < count; i++) this.queued.push(answer);
  }

  /** Resolves once `count` sends have arrived (polls; no fixed sleeps). */
  async waitForSends(count: number, timeoutMs = 10_000): Promise<RecordedSend[]> {
    const until = Date.now() + timeoutMs;
    while (this.sends.length < count) {
      if (Date.now() > until) throw new Error(`stand-in: ${this.sends.length} of ${count} sends arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.sends;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const badToken = !token || (this.validTokens !== undefined && !this.validTokens.has(token));
    const invalidToken = { status: 401, body: graphError('Invalid OAuth access token - Cannot parse access token', 190) };
    const node = /^\/(v\d+\.\d+)\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && node) {
      this.lookups.push({ nodeId: decodeURIComponent(node[2]!), fields: url.searchParams.get('fields') ?? '', token });
      if (badToken) return send(res, invalidToken);
      return send(res, { status: 200, body: { id: decodeURIComponent(node[2]!), display_phone_number: '+1 555-078-3881', verified_name: 'Rückkehrberatung Test', name: 'Rückkehrberatung Test', username: 'rueckkehr_test' } });
    }
    const subscribe = /^\/(v\d+\.\d+)\/([^/]+)\/subscribed_apps$/.exec(url.pathname);
    if (req.method === 'POST' && subscribe) {
      this.subscriptions.push({ pageId: decodeURIComponent(subscribe[2]!), fields: url.searchParams.get('subscribed_fields') ?? '', token });
      return send(res, badToken ? invalidToken : { status: 200, body: { success: true } });
    }
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(url.pathname);
    if (req.method !== 'POST' || !match) return send(res, { status: 404, body: graphError('Unknown path components', 2500) });
    let body: Record<string, any>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
    } catch {
      return send(res, { status: 400, body: graphError('Invalid JSON', 100) });
    }
    const recorded: RecordedSend = { nodeId: decodeURIComponent(match[2]!), version: match[1]!, token, body };
    this.sends.push(recorded);
    const queued = this.queued.shift();
    if (queued) return send(res, queued);
    if (badToken) return send(res, invalidToken);
    if (body.messaging_product === 'whatsapp') {
      const input = body.to ?? body.recipient;
      const messageId = this.nextMessageIds.shift() ?? `wamid.${randomBytes(24).toString('base64')}`;
      this.accepted.push({ ...recorded, messageId });
      return send(res, {
        status: 200,
        body: { messaging_product: 'whatsapp', contacts: [body.to ? { input, wa_id: input } : { input, user_id: input }], messages: [{ id: messageId }] },
      });
    }
    const messageId = this.nextMessageIds.shift() ?? `m_${randomBytes(24).toString('base64url')}`;
    this.accepted.push({ ...recorded, messageId });
    return send(res, { status: 200, body: { recipient_id: body.recipient?.id, message_id: messageId } });
  }
}

function send(res: ServerResponse, answer: StandInAnswer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}

/** Meta's error envelope. */
export function graphError(message: string, code: number, extra: { error_subcode?: number; details?: string } = {}): unknown {
  return {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(extra.error_subcode ? { error_subcode: extra.error_subcode } : {}),
      ...(extra.details ? { error_data: { messaging_product: 'whatsapp', details: extra.details } } : {}),
      fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
    },
  };
}

/**
 * Posts a webhook to DiReturn as Meta does: the JSON as raw bytes, signed with the app secret in
 * X-Hub-Signature-256. `signature: null` leaves the header out; a string replaces it.
 */
export async function postWebhook(url: string, appSecret: string, body: unknown, opts: { signature?: string | null } = {}): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = opts.signature === undefined ? signPayload(appSecret, raw) : opts.signature;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body: raw,
  });
}

/** A WhatsApp text message webhook (the documented fixture with these values). */
export function whatsappText(o: { phoneNumberId: string; from: string; id: string; text: string; at: number; bsuid?: boolean }): Record<string, any> {
  const body = payload('whatsapp-text');
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = o.phoneNumberId;
  value.messages[0] = { ...value.messages[0], id: o.id, timestamp: String(Math.floor(o.at / 1000)), text: { body: o.text } };
  if (o.bsuid) {
    value.contacts = [{ profile: { name: 'Someone' }, user_id: o.from }];
    delete value.messages[0].from;
    value.messages[0].from_user_id = o.from;
  } else {
    value.contacts[0].wa_id = o.from;
    value.messages[0].from = o.from;
  }
  return body;
}

/** A WhatsApp status webhook for a message id Meta gave (raw wamid). */
export function whatsappStatus(o: { phoneNumberId: string; id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; at: number }): Record<string, any> {
  const body = payload(`whatsapp-status-${o.status}`);
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = o.phoneNumberId;
  value.statuses[0] = { ...value.statuses[0], id: o.id, timestamp: String(Math.floor(o.at / 1000)) };
  return body;
}

/** A Messenger (`page`) or Instagram text message webhook. */
export function messagingText(object: 'page' | 'instagram', o: { targetId: string; sender: string; mid: string; text: string; at: number }): Record<string, any> {
  const body = payload(object === 'page' ? 'messenger-text' : 'instagram-text');
  const entry = body.entry[0];
  entry.id = o.targetId;
  entry.time = o.at;
  entry.messaging[0] = { sender: { id: o.sender }, recipient: { id: o.targetId }, timestamp: o.at, message: { mid: o.mid, text: o.text } };
  return body;
}

/** A Messenger delivery for message ids Meta gave. */
export function messengerDelivery(o: { pageId: string; sender: string; mids: string[]; at: number }): Record<string, any> {
  const body = payload('messenger-delivery');
  body.entry[0].id = o.pageId;
  body.entry[0].messaging[0] = { sender: { id: o.sender }, recipient: { id: o.pageId }, delivery: { mids: o.mids, watermark: o.at } };
  return body;
}

/** Adds a Meta account through the admin API and connects it; returns it with the verify token DiReturn made. */
export async function connectMeta(
  t: TestServer,
  cookie: string,
  kind: 'whatsapp' | 'messenger' | 'instagram',
  o: { name: string; settings: Record<string, string>; appSecret: string; accessToken: string },
): Promise<{ id: string; verifyToken: string; webhookUrl: string; settings: Record<string, string> }> {
  const sites = await api(t, cookie, 'GET', '/sites');
  const siteId = (sites.json.sites as Array<{ id: string; key: string }>).find((s) => s.key === 'demo')!.id;
  const created = await api(t, cookie, 'POST', '/channels', { kind, name: o.name, siteId, settings: o.settings, secrets: { appSecret: o.appSecret, accessToken: o.accessToken } });
  if (created.status !== 201) throw new Error(`adding the account failed: ${created.status} ${JSON.stringify(created.json)}`);
  const id = created.json.account.id as string;
  const connected = await api(t, cookie, 'POST', `/channels/${id}/connect`);
  if (connected.status !== 200) throw new Error(`connecting failed: ${connected.status} ${JSON.stringify(connected.json)}`);
  const account = connected.json.account as { settings: Record<string, string>; webhookUrl: string };
  return { id, verifyToken: account.settings.verifyToken!, webhookUrl: account.webhookUrl, settings: account.settings };
}
