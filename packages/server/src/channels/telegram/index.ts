import type { ChannelModule } from '../channel.js';
import { TelegramAdapter } from './telegram.adapter.js';
import { telegramWebhookRoutes } from './telegram.webhook.js';

/** Telegram bots: the adapter (Bot API through grammY) and the webhook `/webhooks/telegram/:accountId`. */
export const telegramModule: ChannelModule = {
  kinds: ['telegram'],
  create: (ctx) => ({ adapters: [new TelegramAdapter(ctx.config.channels.telegramApiUrl)], routes: telegramWebhookRoutes(ctx) }),
};
