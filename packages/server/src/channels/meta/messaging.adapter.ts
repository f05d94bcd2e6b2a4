// Sends counsellors' replies to Messenger and Instagram through the Page's Send API
// (POST /{page-id}/messages): as a RESPONSE within 24 hours of the person's last message, with the
// HUMAN_AGENT tag up to 7 days (a person answers, which is what the tag is for), not at all later.
import { PermanentFailure, type ChannelAccount, type ChannelAdapter, type OutboundMessage } from '../channel.js';
import { providerId } from './events.js';
import { connectMetaAccount } from './connect.js';
import type { GraphClient } from './graph.js';
import { instagramFits, messengerFits, splitText } from './split.js';
import { messagingMode } from './windows.js';

export function createMessagingAdapter(kind: 'messenger' | 'instagram', graph: GraphClient, now: () => number = Date.now): ChannelAdapter {
  const what = kind === 'messenger' ? 'Messenger' : 'Instagram';
  const fits = kind === 'messenger' ? messengerFits : instagramFits;
  return {
    kind,

    replyWindow(message, at) {
      return { open: messagingMode(message.lastInboundAt, at) !== 'closed', rule: 'meta-7d-human-agent' };
    },

    connect: (account) => connectMetaAccount(graph, account),

    async send(account: ChannelAccount, message: OutboundMessage) {
      const pageId = account.settings.pageId;
      const token = account.secrets.accessToken;
      if (!pageId || !token) throw new PermanentFailure(`${what}: the account has no page id or access token`);
      if (message.template) throw new PermanentFailure(`${what}: templates are a WhatsApp feature`);
      const mode = messagingMode(message.lastInboundAt, now());
      if (mode === 'closed') {
        throw new PermanentFailure(`${what}: more than 7 days have passed since the person last wrote; a reply is possible again once they write`);
      }
      const type = mode === 'response' ? { messaging_type: 'RESPONSE' } : { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
      let last = '';
      // Parts in order; a part that fails is retried with the whole reply (earlier parts may then arrive twice).
      for (const text of splitText(message.text, fits)) {
        const answer = await graph.sendMessage(what, pageId, token, { recipient: { id: message.contact }, ...type, message: { text } }).catch((err: unknown) => {
          if (mode === 'human-agent' && err instanceof PermanentFailure) {
            throw new PermanentFailure(`${err.message}. Replies after 24 hours carry the HUMAN_AGENT tag, which needs Meta's approval of the app's Human Agent permission`);
          }
          throw err;
        });
        if (typeof answer.message_id !== 'string' || !answer.message_id) {
          throw new PermanentFailure(`${what}: Meta accepted the message but returned no message id; it may have been delivered`);
        }
        last = answer.message_id;
      }
      return { providerMessageId: providerId(last) };
    },
  };
}
