/**
 * Part 8 (BENCH_ONLY=webhooks): inbound channel events. A Telegram bot is connected to DiReturn
 * through the server's own API against the local Bot API stand-in (which learns the webhook's URL
 * and secret token from setWebhook, as Telegram does); then updates in the documented format are
 * posted to the webhook at fixed rates (open loop, 5 ms ticks), each a new message from one of 500
 * chats in Russian. Per step: the rate reached, p50/p95/p99 of the webhook's answer time (the answer
 * comes after the message is stored), and how many answers were not 200. Steps go up until p99
 * passes 100 ms or an answer fails. On SQLite and on PostgreSQL, one process each.
 */
import { loadavg } from 'node:os';
import { TelegramStandIn } from '../../packages/server/src/test-support/telegram-stand-in.ts';
import { AGENT_PASSWORD, startDiReturn, startDiReturnOnPostgres, type Running } from './servers.js';

export interface WebhookStep {
  rate: number;
  sent: number;
  achieved: number;
  notOk: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface WebhookResult {
  database: 'sqlite' | 'postgres';
  steps: WebhookStep[];
  /** The highest rate whose p99 stayed ≤ 100 ms with every answer 200 (0: none). */
  held: number;
  /** Updates answered 200: each was stored before its answer (the webhook's contract). */
  answered: number;
  loadAverage: number;
}

const STEP_MS = 5_000;
const RATES = [25, 50, 100, 200, 400, 800];
const P99_LIMIT_MS = 100;

async function adminCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench-admin@bench.example', password: AGENT_PASSWORD }) });
  if (!res.ok) throw new Error(`admin login: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function api<T>(server: Running, cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie, origin: server.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const round = (n: number) => Math.round(n * 100) / 100;

async function measureOne(database: WebhookResult['database'], standIn: TelegramStandIn): Promise<WebhookResult> {
  const env = { DIRETURN_TELEGRAM_API_URL: standIn.url, DIRETURN_LOG_LEVEL: 'error' };
  const server = database === 'sqlite' ? await startDiReturn({ env }) : await startDiReturnOnPostgres({ env });
  try {
    const cookie = await adminCookie(server.url);
    const sites = await api<{ sites: Array<{ id: string; key: string }> }>(server, cookie, 'GET', '/sites');
    const site = sites.sites.find((s) => s.key === 'demo') ?? sites.sites[0]!;
    const before = standIn.of('setWebhook').length;
    const { account } = await api<{ account: { id: string } }>(server, cookie, 'POST', '/channels', {
      kind: 'telegram',
      name: 'Bench bot',
      siteId: site.id,
      secrets: { botToken: '123456789:AAbenchBENCHbenchBENCHbenchBENCH_-x' },
    });
    await api(server, cookie, 'POST', `/channels/${account.id}/connect`);
    const setWebhook = (await standIn.waitFor('setWebhook', before + 1)).at(-1)!;
    const hook = new URL(String(setWebhook.params.url));
    // The stand-in saw the public URL; post to this process directly.
    const target = `${server.url}${hook.pathname}`;
    const secret = String(setWebhook.params.secret_token);

    let updateId = 1_000_000;
    const post = async (): Promise<{ ms: number; ok: boolean }> => {
      const id = updateId++;
      const chat = 700_000_000 + (id % 500);
      const update = {
        update_id: id,
        message: {
          message_id: id,
          from: { id: chat, is_bot: false, first_name: 'Ivan', language_code: 'ru' },
          chat: { id: chat, first_name: 'Ivan', type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: `Здравствуйте, у меня вопрос о возвращении домой, сообщение ${id}.`,
        },
      };
      const t0 = performance.now();
      try {
        const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });
        await res.arrayBuffer();
        return { ms: performance.now() - t0, ok: res.status === 200 };
      } catch {
        return { ms: performance.now() - t0, ok: false };
      }
    };

    for (let i = 0; i < 100; i++) await post(); // warm-up: JIT, statement caches, the 500 conversations' first messages
    let answered = 100;
    const steps: WebhookStep[] = [];
    for (const rate of RATES) {
      const results: Array<Promise<{ ms: number; ok: boolean }>> = [];
      const started = performance.now();
      let sent = 0;
      while (performance.now() - started < STEP_MS) {
        const due = Math.floor(((performance.now() - started) / 1000) * rate);
        while (sent < due) {
          results.push(post());
          sent++;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      const done = await Promise.all(results);
      const elapsed = (performance.now() - started) / 1000;
      const times = done.map((d) => d.ms).sort((a, b) => a - b);
      const notOk = done.filter((d) => !d.ok).length;
      answered += done.length - notOk;
      const step = { rate, sent, achieved: round(sent / elapsed), notOk, p50: round(pct(times, 50)), p95: round(pct(times, 95)), p99: round(pct(times, 99)) };
      steps.push(step);
      if (step.p99 > P99_LIMIT_MS || notOk > 0) break;
    }
    const held = steps.filter((s) => s.p99 <= P99_LIMIT_MS && s.notOk === 0).reduce((m, s) => Math.max(m, s.rate), 0);
    return { database, steps, held, answered, loadAverage: round(loadavg()[0]!) };
  } finally {
    await server.stop();
  }
}

export async function measureWebhooks(): Promise<WebhookResult[]> {
  const standIn = await TelegramStandIn.start();
  try {
    return [await measureOne('sqlite', standIn), await measureOne('postgres', standIn)];
  } finally {
    await standIn.close();
  }
}
