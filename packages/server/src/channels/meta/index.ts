// WhatsApp Business Cloud API, Messenger and Instagram: one module, since all three are Meta's
// Graph API with the same webhook handshake and signature. See docs/channels.md.
import type { ChannelModule } from '../channel.js';
import { GraphClient } from './graph.js';
import { createMessagingAdapter } from './messaging.adapter.js';
import { META_KINDS, metaWebhookRoutes } from './webhook.routes.js';
import { createWhatsAppAdapter } from './whatsapp.adapter.js';

export const metaModule: ChannelModule = {
  kinds: META_KINDS,
  create(ctx) {
    const graph = new GraphClient({ baseUrl: ctx.config.channels.metaGraphUrl, version: ctx.config.channels.metaGraphVersion });
    return {
      adapters: [createWhatsAppAdapter(graph), createMessagingAdapter('messenger', graph), createMessagingAdapter('instagram', graph)],
      routes: metaWebhookRoutes(ctx),
    };
  },
};
