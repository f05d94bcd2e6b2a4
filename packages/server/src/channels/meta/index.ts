// WhatsApp Business Cloud API, Messenger and Instagram: one module, since all three are Meta's
// Graph API with the same webhook handshake and signature. See docs/channels.md.
import type { ChannelModule } from '../channel.js';
import { DEFAULT_GRAPH_URL, DEFAULT_GRAPH_VERSION, GraphClient } from './graph.js';
import { createMessagingAdapter } from './messaging.adapter.js';
import { META_KINDS, metaWebhookRoutes } from './webhook.routes.js';
import { createWhatsAppAdapter } from './whatsapp.adapter.js';

/** DIRETURN_META_GRAPH_URL (default Meta's) and DIRETURN_META_GRAPH_VERSION; a wrong value stops the start. */
export function graphOptions(env: NodeJS.ProcessEnv): { baseUrl: string; version: string } {
  const baseUrl = env.DIRETURN_META_GRAPH_URL || DEFAULT_GRAPH_URL;
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl) || !URL.canParse(baseUrl)) throw new Error('DIRETURN_META_GRAPH_URL must be an http(s) URL');
  const version = env.DIRETURN_META_GRAPH_VERSION || DEFAULT_GRAPH_VERSION;
  if (!/^v\d{1,3}\.\d{1,3}$/.test(version)) throw new Error('DIRETURN_META_GRAPH_VERSION must look like v25.0');
  return { baseUrl, version };
}

export const metaModule: ChannelModule = {
  kinds: META_KINDS,
  create(ctx) {
    const graph = new GraphClient(graphOptions(ctx.env));
    return {
      adapters: [createWhatsAppAdapter(graph), createMessagingAdapter('messenger', graph), createMessagingAdapter('instagram', graph)],
      routes: metaWebhookRoutes(ctx),
    };
  },
};
