import type { ChannelModule } from './channel.js';
import { metaModule } from './meta/meta.module.js';

/**
 * The channel modules this server runs: one line each. A module creates its adapters, its webhook
 * routes (`/webhooks/<kind>/<accountId>`) and any background work (see ChannelModule in channel.ts).
 */
export const CHANNEL_MODULES: ChannelModule[] = [
  metaModule,
];
