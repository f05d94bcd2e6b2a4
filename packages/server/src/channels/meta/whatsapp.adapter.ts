// Sends counsellors' replies through the WhatsApp Business Cloud API: free-form text within 24 hours
// of the person's last message, an approved template (configured per account) at any time.
import { PermanentFailure, type ChannelAccount, type ChannelAdapter, type OutboundMessage } from '../channel.js';
import { providerId } from './events.js';
import { connectMetaAccount } from './connect.js';
import type { GraphClient } from './graph.js';
import { parseTemplates } from './templates.js';
import { whatsappWindowOpen } from './windows.js';

/** A business-scoped user id (`US.13491208655302741918`, `US.ENT.…`) rather than a phone number. */
const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]+$/;

/** Meta: a phone number goes in `to`, a BSUID in `recipient`. */
export function whatsappRecipient(contact: string): { to: string } | { recipient: string } {
  return BSUID.test(contact) ? { recipient: contact } : { to: contact };
}

export function createWhatsAppAdapter(graph: GraphClient, now: () => number = Date.now): ChannelAdapter {
  return {
    kind: 'whatsapp',

    replyWindow(message, at) {
      return { open: whatsappWindowOpen(message.lastInboundAt, at), rule: 'whatsapp-24h' };
    },

    templates: (account) => parseTemplates(account.settings.templates),

    connect: (account) => connectMetaAccount(graph, account),

    async send(account: ChannelAccount, message: OutboundMessage) {
      const phoneNumberId = account.settings.phoneNumberId;
      const token = account.secrets.accessToken;
      if (!phoneNumberId || !token) throw new PermanentFailure('WhatsApp: the account has no phone number id or access token');
      let content: Record<string, unknown>;
      if (message.template) {
        const { name, language } = message.template;
        if (!parseTemplates(account.settings.templates).some((t) => t.name === name && t.language === language)) {
          throw new PermanentFailure(`WhatsApp: the template ${name} (${language}) is not configured for this account`);
        }
        content = { type: 'template', template: { name, language: { code: language } } };
      } else {
        if (!whatsappWindowOpen(message.lastInboundAt, now())) {
          throw new PermanentFailure('WhatsApp: more than 24 hours have passed since the person last wrote; only an approved template can be sent now');
        }
        content = { type: 'text', text: { preview_url: false, body: message.text } };
      }
      const answer = await graph.sendMessage('WhatsApp', phoneNumberId, token, {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        ...whatsappRecipient(message.contact),
        ...content,
      });
      const id = (answer.messages as Array<{ id?: unknown }> | undefined)?.[0]?.id;
      // Not retried: the message most likely went out, and a retry would send it twice.
      if (typeof id !== 'string' || !id) throw new PermanentFailure('WhatsApp: Meta accepted the message but returned no message id; it may have been delivered');
      return { providerMessageId: providerId(id) };
    },
  };
}
