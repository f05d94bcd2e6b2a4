import type { ChannelModule } from './channel.js';
import { emailModule } from './email/email.module.js';
import { metaModule } from './meta/index.js';
import { telegramModule } from './telegram/index.js';

/**
 * The channel modules this server runs: one line each. A module creates its adapters, its webhook
 * routes (`/webhooks/<kind>/<accountId>`) and any background work (see ChannelModule in channel.ts).
 */
export const CHANNEL_MODULES: ChannelModule[] = [telegramModule, emailModule, metaModule];
