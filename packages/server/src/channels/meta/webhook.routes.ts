// Transport: Meta's webhooks for WhatsApp, Messenger and Instagram, one URL per connected account:
//   GET  /webhooks/<kind>/<accountId>   the subscription handshake (the verify token made on connect, connect.ts)
//   POST /webhooks/<kind>/<accountId>   events, signed with the app secret over the raw body
// Answers, and why (Meta retries every answer but 200, for days, and alerts the app's developers):
//   404  no such account of this kind: a misconfigured callback URL should show up at Meta, not vanish;
//   401  no signature, 403 wrong signature or verify token: not from Meta (or the app secret is wrong);
//   400  not a payload of this kind; 413 larger than any Meta sends;
//   503  the account is paused: Meta keeps the events and sends them again after the pause;
//   500  storing failed: Meta sends again, and the provider ids make the second time a no-op;
//   200  stored, or signed but addressed to a number / page this account is not (an app can serve
//        several, and refusing them would make Meta retry them for days): those are dropped, nothing stored.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../http/types.js';
import { isDomainError } from '../../shared/errors.js';
import type { ChannelAccount, ChannelContext, ChannelKind } from '../channel.js';
import { isAccountId, readWebhookBody, WEBHOOK_MAX_BYTES } from '../webhook.js';
import type { MetaEvents, ParseOutcome } from './events.js';
import { parseMessaging } from './messaging.parse.js';
import { verifyHandshake, verifySignature } from './verify.js';
import { parseWhatsApp } from './whatsapp.parse.js';

export type MetaKind = Extract<ChannelKind, 'whatsapp' | 'messenger' | 'instagram'>;
export const META_KINDS: readonly MetaKind[] = ['whatsapp', 'messenger', 'instagram'];

const PARSERS: Record<MetaKind, (body: unknown) => ParseOutcome> = {
  whatsapp: parseWhatsApp,
  messenger: (body) => parseMessaging(body, 'page'),
  instagram: (body) => parseMessaging(body, 'instagram'),
};

/** The business id Meta addresses this account's events to. */
export function targetOf(account: ChannelAccount): string | undefined {
  if (account.kind === 'whatsapp') return account.settings.phoneNumberId;
  if (account.kind === 'messenger') return account.settings.pageId;
  if (account.kind === 'instagram') return account.settings.instagramAccountId;
  return undefined;
}

async function findAccount(ctx: ChannelContext, kind: MetaKind, id: string): Promise<ChannelAccount | undefined> {
  const account = isAccountId(id) ? await ctx.accounts.find(id) : undefined;
  return account?.kind === kind ? account : undefined;
}

/** Hands the events addressed to this account to the inbox; the rest are counted and dropped. */
async function deliver(ctx: ChannelContext, account: ChannelAccount, events: MetaEvents): Promise<{ stored: number; foreign: number }> {
  const target = targetOf(account);
  let stored = 0;
  let foreign = 0;
  for (const { target: t, message } of events.messages) {
    if (t !== target) foreign++;
    else {
      await ctx.inbox.receive({ ...message, accountId: account.id });
      stored++;
    }
  }
  for (const { target: t, status } of events.statuses) {
    if (t !== target) foreign++;
    else {
      await ctx.inbox.status({ ...status, accountId: account.id });
      stored++;
    }
  }
  for (const { target: t, greeting } of events.greetings) {
    if (t !== target) foreign++;
    else {
      await ctx.inbox.greet({ ...greeting, accountId: account.id });
      stored++;
    }
  }
  for (const { target: t, error } of events.errors) {
    if (t !== target) foreign++;
    else await ctx.inbox.recordError(account.id, `Meta reports: ${error}`);
  }
  return { stored, foreign };
}

export function metaWebhookRoutes(ctx: ChannelContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = ctx.logger;

  for (const kind of META_KINDS) {
    app.get(`/webhooks/${kind}/:accountId`, async (c) => {
      const account = await findAccount(ctx, kind, c.req.param('accountId'));
      if (!account) return c.text('Not found', 404);
      const result = verifyHandshake((name) => c.req.query(name), account.settings.verifyToken);
      if (!result.ok) {
        log.warn({ kind, accountId: account.id }, 'meta webhook: subscription check refused (verify token or mode)');
        return c.text('Forbidden', 403);
      }
      log.info({ kind, accountId: account.id }, 'meta webhook: subscription verified');
      return c.text(result.challenge, 200);
    });

    app.post(`/webhooks/${kind}/:accountId`, async (c) => handleEvents(c, ctx, kind));
  }
  return app;
}

async function handleEvents(c: Context<AppEnv>, ctx: ChannelContext, kind: MetaKind): Promise<Response> {
  const log = ctx.logger;
  const account = await findAccount(ctx, kind, c.req.param('accountId') ?? '');
  if (!account) return c.text('Not found', 404);
  // The signature covers the exact bytes: read them before anything parses the body.
  const raw = await readWebhookBody(c, WEBHOOK_MAX_BYTES);
  if (!raw) return c.text('Payload too large', 413);
  const signature = verifySignature(account.secrets.appSecret, raw, c.req.header('x-hub-signature-256'));
  if (signature !== 'valid') {
    log.warn({ kind, accountId: account.id, signature }, 'meta webhook: refused a request without a valid signature');
    if (signature === 'invalid') {
      await ctx.inbox.recordError(account.id, 'A webhook request with a wrong signature was refused (is the app secret right?)').catch(() => undefined);
    }
    return c.text(signature === 'missing' ? 'Unauthorized' : 'Forbidden', signature === 'missing' ? 401 : 403);
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    log.warn({ kind, accountId: account.id }, 'meta webhook: body is not JSON');
    await ctx.inbox.recordError(account.id, `Meta sent a ${kind} webhook DiReturn could not read (400).`).catch(() => undefined);
    return c.text('Bad request', 400);
  }
  const parsed = PARSERS[kind](body);
  if (!parsed.ok) {
    log.warn({ kind, accountId: account.id, error: parsed.error }, 'meta webhook: malformed payload');
    await ctx.inbox.recordError(account.id, `Meta sent a ${kind} webhook DiReturn could not read (400): ${parsed.error}.`).catch(() => undefined);
    return c.text('Bad request', 400);
  }
  if (account.status !== 'active') return c.text('Paused', 503, { 'retry-after': '600' });
  try {
    const { stored, foreign } = await deliver(ctx, account, parsed.events);
    if (stored > 0) await ctx.inbox.recordEvent(account.id);
    if (foreign > 0) log.info({ kind, accountId: account.id, foreign }, 'meta webhook: events for another number or page of the app were dropped');
    log.debug({ kind, accountId: account.id, stored, ignored: parsed.events.ignored }, 'meta webhook: handled');
    return c.text('EVENT_RECEIVED', 200);
  } catch (err) {
    if (isDomainError(err) && err.code === 'channel_unavailable') return c.text('Paused', 503, { 'retry-after': '600' });
    log.error({ kind, accountId: account.id, err: { name: (err as Error).name, message: (err as Error).message } }, 'meta webhook: storing events failed; Meta will send them again');
    await ctx.inbox.recordError(account.id, `Storing a ${kind} webhook failed; Meta will send it again.`).catch(() => undefined);
    return c.text('Temporarily unavailable', 500);
  }
}
