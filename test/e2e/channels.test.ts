import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { composeMail } from '../../packages/server/src/test-support/compose-mail.js';
import { TestImap } from '../../packages/server/src/test-support/imap.js';
import { TestSmtp } from '../../packages/server/src/test-support/smtp.js';
import { TelegramStandIn } from '../../packages/server/src/test-support/telegram-stand-in.js';
import { login } from '../support/agent-client.js';
import { launchChromium } from '../support/browser.js';
import { ADMIN, startServerProcess, type ServerProcess } from '../support/server.js';

// Issue 15 end to end: a Telegram message in Russian and an e-mail in Arabic reach the console in
// their languages; the counsellor answers both in Chromium; the Bot API stand-in and the SMTP
// server receive the answers (the e-mail threaded to the sender's).

let server: ServerProcess;
let browser: Browser;
let telegram: TelegramStandIn;
let imap: TestImap;
let smtp: TestSmtp;

async function api(cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie, origin: server.url, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

beforeAll(async () => {
  [telegram, imap, smtp] = await Promise.all([TelegramStandIn.start(), TestImap.start(), TestSmtp.start()]);
  server = await startServerProcess({
    DIRETURN_TELEGRAM_API_URL: telegram.url,
    DIRETURN_OUTBOX_RETRY_SECONDS: '0.2',
    DIRETURN_OUTBOX_POLL_SECONDS: '0.2',
    DIRETURN_EMAIL_CHECK_MS: '200',
    DIRETURN_EMAIL_RECONNECT_MS: '200',
    DIRETURN_EMAIL_POLL_MS: '1000',
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([telegram?.close(), imap?.destroy(), smtp?.stop()]);
});

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function consoleAsAdmin(): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await page.goto(`${server.url}/console/`);
  await page.getByLabel(/e-mail/i).fill(ADMIN.email);
  await page.getByLabel(/passwort|password/i).fill(ADMIN.password);
  await page.getByRole('button', { name: /anmelden|log in/i }).click();
  await page.locator('direturn-availability-toggle').waitFor();
  return page;
}

/** Claims the waiting conversation that shows `text`, reads it in the conversation view and answers. */
async function answer(page: Page, text: string, reply: string): Promise<void> {
  const item = page.locator('direturn-queue li', { hasText: text });
  await item.waitFor({ timeout: 30_000 });
  await item.locator('[part="claim"]').click();
  await page.locator('direturn-conversation-view').getByText(text).waitFor();
  const box = page.locator('direturn-conversation-view textarea');
  await box.fill(reply);
  await box.press('Enter');
  await page.locator('direturn-conversation-view').getByText(reply).waitFor();
}

it('a Telegram message in Russian and an e-mail in Arabic reach the console in their languages; the counsellor answers both and both arrive', async () => {
  const admin = await login(server.url, ADMIN.email, ADMIN.password);
  const siteId = ((await api(admin, 'GET', '/sites')).json.sites as Array<{ id: string; key: string }>).find((s) => s.key === 'demo')!.id;

  // Telegram: connected through the API; the stand-in learns the webhook and its secret as Telegram would.
  const bot = await api(admin, 'POST', '/channels', { kind: 'telegram', name: 'Telegram', siteId, secrets: { botToken: '123456789:AAFakeTokenForTheLocalStandIn_0123456789' } });
  expect(bot.status, JSON.stringify(bot.json)).toBe(201);
  expect((await api(admin, 'POST', `/channels/${bot.json.account.id}/connect`)).status).toBe(200);
  const hook = (await telegram.waitFor('setWebhook')).at(-1)!;
  const webhook = `${server.url}${new URL(String(hook.params.url)).pathname}`;

  // E-mail: a real Dovecot mailbox and a real SMTP server.
  const mailbox = await api(admin, 'POST', '/channels', {
    kind: 'email',
    name: 'E-Mail',
    siteId,
    settings: { address: imap.user, fromName: 'Rückkehrberatung', imapHost: imap.host, imapPort: String(imap.port), imapTls: 'false', smtpUrl: smtp.url },
    secrets: { imapPassword: imap.password },
  });
  expect(mailbox.status, JSON.stringify(mailbox.json)).toBe(201);

  const page = await consoleAsAdmin();

  // A Russian message on Telegram (the update as core.telegram.org/bots/api#update documents it).
  const chatId = 480_000_000 + Math.floor(Math.random() * 1000);
  const russian = 'Здравствуйте! Я хочу вернуться домой в Казахстан. Какие документы нужны?';
  const posted = await fetch(webhook, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': String(hook.params.secret_token) },
    body: JSON.stringify({ update_id: 9001, message: { message_id: 17, from: { id: chatId, is_bot: false, first_name: 'Аня', language_code: 'ru' }, chat: { id: chatId, first_name: 'Аня', type: 'private' }, date: Math.floor(Date.now() / 1000), text: russian } }),
  });
  expect(posted.status).toBe(200);

  // An Arabic e-mail.
  const sender = `p${randomBytes(5).toString('hex')}@sender.example`;
  const messageId = `<${randomBytes(8).toString('hex')}@sender.example>`;
  const arabic = 'مرحبا، أريد العودة إلى العراق مع عائلتي. هل يمكنكم مساعدتي في تذاكر السفر؟';
  await imap.deliver(await composeMail({ from: sender, to: imap.user, subject: 'سؤال عن العودة', messageId, text: arabic }));

  // Both wait in the queue, each in its language.
  const queue = page.locator('direturn-queue');
  await queue.getByText(russian).waitFor({ timeout: 30_000 });
  await queue.getByText(arabic).waitFor({ timeout: 60_000 });
  await expect.poll(async () => (await queue.locator('li', { hasText: russian }).innerText()).includes('Русский')).toBe(true);
  await expect.poll(async () => (await queue.locator('li', { hasText: arabic }).innerText()).includes('العربية')).toBe(true);

  const toTelegram = 'Здравствуйте! Да, мы поможем. Нужен паспорт или документ, заменяющий его.';
  await answer(page, russian, toTelegram);
  const toMail = 'مرحبا، نعم يمكننا مساعدتك. سنتحدث عن برنامج REAG/GARP.';
  await answer(page, arabic, toMail);

  // The stand-in got the Russian answer for that chat; the sender got the Arabic one, threaded.
  const sent = await until('the Telegram answer', () => telegram.of('sendMessage').find((c) => c.params.text === toTelegram));
  expect(Number(sent.params.chat_id)).toBe(chatId);
  const mail = await until('the e-mail answer', () => smtp.mails.find((m) => m.to.includes(sender) && m.text.includes('برنامج REAG/GARP')), 60_000);
  expect(mail.raw).toMatch(new RegExp(`^In-Reply-To: ${messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'im'));
  await page.context().close();
}, 240_000);
