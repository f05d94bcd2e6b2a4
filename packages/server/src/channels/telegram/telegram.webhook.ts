import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../../http/types.js';
import { isDomainError } from '../../shared/errors.js';
import type { ChannelContext } from '../channel.js';
import { isAccountId, readWebhookBody, secretMatches } from '../webhook.js';
import { parseUpdate, UpdateSchema } from './telegram.updates.js';

/** The header Telegram sends the secret_token of setWebhook in (https://core.telegram.org/bots/api#setwebhook). */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * `POST /webhooks/telegram/:accountId`: the account from the URL (unknown: 404), the secret token
 * from the header compared in constant time (wrong or missing: 401), then the update (malformed:
 * 400). Nothing is stored before all three pass. The message is stored (one short transaction)
 * before the 200, so an update Telegram sees answered is never lost; fan-out to consoles and any
 * reply to the person follow after the answer (bus, outbox). Logs name the account and the
 * outcome, never the update.
 */
export function telegramWebhookRoutes(ctx: ChannelContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { logger, inbox, accounts } = ctx;
  const refuse = (c: Context, status: 400 | 401 | 404 | 503, what: string, accountId?: string) => {
    logger.warn({ channel: 'telegram', status, ...(accountId ? { accountId } : {}) }, `telegram webhook: ${what}`);
    return c.json({ ok: false }, status);
  };

  app.post('/webhooks/telegram/:accountId', async (c) => {
    const accountId = c.req.param('accountId');
    const account = isAccountId(accountId) ? await accounts.find(accountId) : undefined;
    if (!account || account.kind !== 'telegram') return refuse(c, 404, 'unknown account');
    if (!secretMatches(c.req.header(SECRET_HEADER), account.secrets.webhookSecret)) return refuse(c, 401, 'wrong or missing secret token', account.id);
    if (account.status !== 'active') {
      // Telegram keeps the update and tries again later; nothing is stored while paused.
      c.header('Retry-After', '60');
      return refuse(c, 503, 'account paused', account.id);
    }
    const body = await readWebhookBody(c);
    let update: unknown;
    try {
      update = body === undefined ? undefined : JSON.parse(body.toString('utf8'));
    } catch {
      update = undefined;
    }
    const checked = update === undefined ? undefined : v.safeParse(UpdateSchema, update);
    if (!checked?.success) {
      await inbox.recordError(account.id, 'Telegram sent an update DiReturn could not read (400).').catch(() => undefined);
      return refuse(c, 400, 'malformed update', account.id);
    }
    const parsed = parseUpdate(checked.output);
    try {
      if (parsed.kind === 'start') {
        await inbox.greet({ accountId: account.id, providerMessageId: parsed.providerMessageId, contact: parsed.contact, sentAt: parsed.sentAt, ...(parsed.languageHint ? { languageHint: parsed.languageHint } : {}) });
      } else if (parsed.kind === 'message') {
        const { kind: _kind, ...message } = parsed;
        await inbox.receive({ accountId: account.id, ...message });
      } else {
        await inbox.recordEvent(account.id);
      }
    } catch (err) {
      // Not stored: Telegram delivers the update again later.
      const paused = isDomainError(err) && err.code === 'channel_unavailable';
      if (paused) return refuse(c, 503, 'account paused', account.id);
      const message = (err as Error).message;
      logger.error({ channel: 'telegram', accountId: account.id, err: { name: (err as Error).name, message } }, 'telegram webhook: storing the update failed');
      await inbox.recordError(account.id, 'Storing a Telegram update failed; Telegram will deliver it again.').catch(() => undefined);
      return c.json({ ok: false }, 500);
    }
    return c.json({ ok: true }, 200);
  });

  return app;
}
