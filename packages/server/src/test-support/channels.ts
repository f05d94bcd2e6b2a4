import { readFileSync } from 'node:fs';
import { api, login, startTestServer, type TestServer } from './harness.js';
import { TelegramStandIn } from './telegram-stand-in.js';

/** Outbox timings that keep channel tests fast (retries after ~50 ms). */
export const FAST_OUTBOX = { DIRETURN_OUTBOX_RETRY_SECONDS: '0.05', DIRETURN_OUTBOX_POLL_SECONDS: '0.05' };

/** A bot token in BotFather's form (made up). */
export const BOT_TOKEN = '123456789:AAFakeTokenForTheLocalStandIn_0123456789';

/** A Telegram update copied from core.telegram.org (channels/telegram/fixtures/<name>.json, which names its page). */
export function telegramFixture(name: string): { update_id: number; message?: Record<string, unknown>; [k: string]: unknown } {
  const file = new URL(`../channels/telegram/fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { update: { update_id: number } }).update;
}

/**
 * The documentation's text message, made one of this test's: its own update id, chat and text,
 * and the sender's language_code (https://core.telegram.org/bots/api#user).
 */
export function telegramText(updateId: number, chatId: number, text: string, languageCode?: string) {
  const base = telegramFixture('message-text');
  const m = base.message as { chat: Record<string, unknown>; from: Record<string, unknown> };
  return {
    ...base,
    update_id: updateId,
    message: { ...m, message_id: updateId, chat: { ...m.chat, id: chatId }, from: { ...m.from, id: chatId, ...(languageCode ? { language_code: languageCode } : {}) }, text },
  };
}

/** Adds a Telegram account through the admin API and connects it (setWebhook on the stand-in); returns it with the secret Telegram was given. */
export async function connectTelegram(t: TestServer, cookie: string, standIn: TelegramStandIn, name = 'Telegram-Bot'): Promise<{ id: string; secret: string; webhookUrl: string }> {
  const sites = await api(t, cookie, 'GET', '/sites');
  const siteId = (sites.json.sites as Array<{ id: string; key: string }>).find((s) => s.key === 'demo')!.id;
  const created = await api(t, cookie, 'POST', '/channels', { kind: 'telegram', name, siteId, secrets: { botToken: BOT_TOKEN } });
  if (created.status !== 201) throw new Error(`adding the account failed: ${created.status} ${JSON.stringify(created.json)}`);
  const id = created.json.account.id as string;
  const before = standIn.of('setWebhook').length;
  const connected = await api(t, cookie, 'POST', `/channels/${id}/connect`);
  if (connected.status !== 200) throw new Error(`connecting failed: ${connected.status} ${JSON.stringify(connected.json)}`);
  const call = standIn.of('setWebhook')[before]!;
  return { id, secret: call.params.secret_token as string, webhookUrl: call.params.url as string };
}

/** Posts an update as Telegram does (the secret token in its header, unless `secret` is null). */
export async function postUpdate(t: TestServer, accountId: string, secret: string | null, update: unknown): Promise<Response> {
  return fetch(`${t.url}/webhooks/telegram/${accountId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: typeof update === 'string' ? update : JSON.stringify(update),
  });
}

/** Polls until `check` holds (no fixed sleeps: CI machines are slow). */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A server with a connected Telegram bot against a fresh Bot API stand-in; `stop()` ends both. */
export async function startTelegramServer(env: Record<string, string> = {}, logs?: string[]) {
  const standIn = await TelegramStandIn.start();
  const t = await startTestServer({ env: { ...FAST_OUTBOX, DIRETURN_TELEGRAM_API_URL: standIn.url, ...env }, ...(logs ? { logs } : {}) });
  const cookie = await login(t);
  const account = await connectTelegram(t, cookie, standIn);
  return {
    t,
    standIn,
    cookie,
    account,
    async stop() {
      await t.stop();
      await standIn.close();
    },
  };
}

/** The waiting conversation whose first message is `text` (polls the queue). */
export async function waitingConversationWith(t: TestServer, cookie: string, text: string): Promise<string> {
  let id: string | undefined;
  await until(async () => {
    const list = (await api(t, cookie, 'GET', '/conversations?status=waiting')).json.conversations as Array<{ id: string; firstMessage: string }>;
    id = list.find((c) => c.firstMessage === text)?.id;
    return id !== undefined;
  });
  return id!;
}
