import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call DiReturn made to the Bot API. */
export interface BotApiCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
  /** When it arrived (ms). */
  at: number;
}

/** A scripted answer instead of the normal one (the next call of that method gets it). */
type Scripted = { status: 429; retryAfter: number } | { status: 500 | 502 } | { status: 403 | 400 | 401; description: string };

/**
 * A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api): it answers
 * `POST /bot<token>/<method>` in the documented wire format (`{ ok, result }` or `{ ok: false,
 * error_code, description, parameters }`), records every call, and can be told to answer the
 * next calls with 429 (retry_after) or 500. Point DIRETURN_TELEGRAM_API_URL at `url`.
 */
export class TelegramStandIn {
  readonly calls: BotApiCall[] = [];
  private readonly scripted = new Map<string, Scripted[]>();
  /** The message_id the next sendMessage gets. */
  nextMessageId = 5000;
  private server!: Server;
  url = '';

  static async start(): Promise<TelegramStandIn> {
    const t = new TelegramStandIn();
    t.server = createServer((req, res) => void t.handle(req).then(({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))));
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    t.url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    return t;
  }

  /** The next `count` calls of `method` get this answer. */
  fail(method: string, answer: Scripted, count = 1): void {
    const list = this.scripted.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(answer);
    this.scripted.set(method, list);
  }

  /** Forgets the scripted answers not given yet (the provider recovered). */
  recover(): void {
    this.scripted.clear();
  }

  /** Calls of a method, in order. */
  of(method: string): BotApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves when `method` has been called `count` times (polls; no fixed sleep). */
  async waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<BotApiCall[]> {
    const until = Date.now() + timeoutMs;
    while (this.of(method).length < count) {
      if (Date.now() > until) throw new Error(`the stand-in saw ${this.of(method).length} ${method} call(s), not ${count}, within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.of(method);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match || req.method !== 'POST') return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    const [, token, method] = match as unknown as [string, string, string];
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const params = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    this.calls.push({ token, method, params, at: Date.now() });
    const scripted = this.scripted.get(method)?.shift();
    if (scripted) {
      if (scripted.status === 429) {
        return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${scripted.retryAfter}`, parameters: { retry_after: scripted.retryAfter } } };
      }
      if ('description' in scripted) return { status: scripted.status, body: { ok: false, error_code: scripted.status, description: scripted.description } };
      return { status: scripted.status, body: { ok: false, error_code: scripted.status, description: 'Internal Server Error' } };
    }
    switch (method) {
      case 'getMe':
        return { status: 200, body: { ok: true, result: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Rückkehrberatung', username: 'direturn_test_bot' } } };
      case 'setWebhook':
        return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
      case 'sendMessage': {
        const chatId = Number(params.chat_id);
        // A Message object (https://core.telegram.org/bots/api#message) as the Bot API returns it.
        return {
          status: 200,
          body: { ok: true, result: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Rückkehrberatung' }, text: params.text } },
        };
      }
      default:
        return { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: method ${method} is not in this stand-in` } };
    }
  }
}
