// Reply windows (issue 15): whether a counsellor can answer a channel conversation with free text now
// (the adapter's rule: WhatsApp's 24 hours, Messenger/Instagram's 7 days), until when, and which
// approved templates the account may send instead. Sending a template is a counsellor's reply like any
// other (stored, then delivered through the outbox) that carries the template to the adapter.
import { REPLY_WINDOW_MS, type ChannelTemplateSend, type MessageDto, type ReplyWindowDto } from '@direturn/protocol';
import type { AgentDto } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { may } from '../conversations/conversation.policy.js';
import { findConversation } from '../conversations/conversation.repository.js';
import type { ConversationService } from '../conversations/conversation.service.js';
import { DomainError } from '../shared/errors.js';
import type { ChannelAdapters } from './adapters.js';
import type { ChannelAccount, ChannelAccountSource, ChannelAdapter } from './channel.js';

export class ReplyWindows {
  constructor(
    private readonly db: Db,
    private readonly accounts: ChannelAccountSource,
    private readonly adapters: ChannelAdapters,
    private readonly conversations: ConversationService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The window of a conversation the agent may see; null when its channel has none (widget, Telegram, e-mail). */
  async get(agent: AgentDto, conversationId: string): Promise<ReplyWindowDto | null> {
    return (await this.resolve(agent, conversationId))?.window ?? null;
  }

  /** Sends one of the account's approved templates as the agent's reply (they must hold the conversation). */
  async sendTemplate(agent: AgentDto, conversationId: string, input: ChannelTemplateSend): Promise<MessageDto> {
    const resolved = await this.resolve(agent, conversationId);
    if (!resolved?.window.templates.some((t) => t.name === input.name && t.language === input.language)) {
      throw new DomainError('bad_request', 'This template is not one the conversation’s channel account may send.', ['name: not a template of this account']);
    }
    const template = { name: input.name, language: input.language };
    // What counsellors read in the conversation: the template's name, since its text lives at Meta.
    const body = `[${template.name} · ${template.language}]`;
    const { message } = await this.conversations.agentSend(agent, conversationId, { clientId: input.clientId, body, template });
    return message;
  }

  private async resolve(agent: AgentDto, conversationId: string): Promise<{ account: ChannelAccount; adapter: ChannelAdapter; window: ReplyWindowDto } | null> {
    const c = await findConversation(this.db, conversationId);
    if (!c || !may(agent, 'view', c)) throw new DomainError('not_found', 'Conversation not found.');
    if (c.channel === 'widget' || !c.channel_account_id) return null;
    const account = await this.accounts.find(c.channel_account_id);
    const adapter = account && this.adapters.get(account.kind);
    if (!account || !adapter?.replyWindow) return null;
    const lastInboundAt = c.last_inbound_at === null ? null : Number(c.last_inbound_at);
    const { open, rule } = adapter.replyWindow({ lastInboundAt }, this.now());
    if (!rule) return null;
    return {
      account,
      adapter,
      window: {
        kind: account.kind,
        open,
        rule,
        closesAt: lastInboundAt === null ? null : lastInboundAt + REPLY_WINDOW_MS[rule],
        templates: adapter.templates?.(account) ?? [],
      },
    };
  }
}
