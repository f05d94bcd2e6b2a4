import { Api, GrammyError, HttpError } from 'grammy';
import { PermanentFailure, RetryLater, type ChannelAccount, type ChannelAdapter, type OutboundMessage } from '../channel.js';

/** Bot API calls give up after this long (grammY's default is minutes; the outbox retries instead). */
const TIMEOUT_SECONDS = 20;

/**
 * Telegram through grammY's `Api` class: one typed call per Bot API method, the wire format
 * (JSON to `<apiRoot>/bot<token>/<method>`) and the Bot API's error model (`error_code`,
 * `parameters.retry_after`) kept current by a maintained library; `apiRoot` points it at a local
 * stand-in in tests (DIRETURN_TELEGRAM_API_URL). Only the Api class is used: webhooks are received
 * and verified by DiReturn itself (telegram.webhook.ts).
 */
export class TelegramAdapter implements ChannelAdapter {
  readonly kind = 'telegram' as const;

  constructor(private readonly apiRoot: string) {}

  private api(account: ChannelAccount): Api {
    const token = account.secrets.botToken;
    if (!token) throw new PermanentFailure('The Telegram account has no bot token.');
    return new Api(token, { apiRoot: this.apiRoot, timeoutSeconds: TIMEOUT_SECONDS });
  }

  async send(account: ChannelAccount, message: OutboundMessage): Promise<{ providerMessageId: string }> {
    try {
      const sent = await this.api(account).sendMessage(message.contact, message.text);
      return { providerMessageId: String(sent.message_id) };
    } catch (err) {
      throw inWords(err);
    }
  }

  /** Points the bot's webhook at DiReturn, with the account's secret token; learns the bot's username. */
  async connect(account: ChannelAccount, ctx: { webhookUrl: string }): Promise<{ settings: Record<string, string> }> {
    const secret = account.secrets.webhookSecret;
    if (!secret) throw new Error('The account has no webhook secret.');
    try {
      const api = this.api(account);
      const me = await api.getMe();
      // Only what DiReturn handles; earlier updates still waiting at Telegram are delivered, not dropped.
      await api.setWebhook(ctx.webhookUrl, { secret_token: secret, allowed_updates: ['message'] });
      return { settings: me.username ? { botUsername: me.username } : {} };
    } catch (err) {
      throw inWords(err);
    }
  }
}

/**
 * A Bot API error as the outbox and the console need it: 429 waits as long as Telegram asks;
 * what no retry fixes (blocked, unknown chat, a refused token) fails for good with a sentence
 * admins understand; everything else is tried again. Never the request (it holds the chat id and text).
 */
export function inWords(err: unknown): Error {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const description = err.description.replace(/\s+/g, ' ').slice(0, 200);
    const retryAfter = err.parameters.retry_after;
    if (code === 429 || retryAfter !== undefined) {
      const seconds = retryAfter ?? 5;
      return new RetryLater(`Telegram asks to wait ${seconds} s (${code}: ${description}).`, seconds * 1000);
    }
    if (code === 401 || code === 404) return new PermanentFailure(`Telegram refused the bot token (${code}): check the token with BotFather and update the account.`);
    if (code === 403) return new PermanentFailure(`The person has blocked the bot or closed the chat (Telegram: ${description}).`);
    if (code === 400 && /chat not found/i.test(description)) return new PermanentFailure('Telegram does not know this chat any more (the person may have deleted it).');
    if (code >= 400 && code < 500) return new PermanentFailure(`Telegram refused the message (${code}: ${description}).`);
    return new Error(`Telegram answered ${code} (${description}); trying again.`);
  }
  if (err instanceof HttpError) return new Error(`Telegram could not be reached (${err.message.replace(/\s+/g, ' ').slice(0, 200)}); trying again.`);
  return err instanceof Error ? err : new Error(String(err));
}
