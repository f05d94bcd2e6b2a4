import { matchLanguage, type ConversationSummaryDto, type MessageAttachmentDto, type MessageDto, type NoteDto, type VisitorConversationDto } from '@direturn/protocol';
import type { ConversationRow } from './conversation.table.js';
import type { ConversationSummaryRow, MessageWithAgent, NoteWithNames } from './conversation.repository.js';

// One serialisation layer for REST responses and WebSocket frames.
const FIRST_MESSAGE_PREVIEW = 280;
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toMessageDto(m: MessageWithAgent): MessageDto {
  const dto: MessageDto = {
    id: m.id,
    conversationId: m.conversation_id,
    seq: Number(m.seq),
    author: m.author,
    body: m.body,
    clientId: m.client_id,
    agentName: m.author === 'agent' ? m.agent_name : null,
    createdAt: Number(m.created_at),
  };
  if (m.attachments) dto.attachments = JSON.parse(m.attachments) as MessageAttachmentDto[];
  if (m.delivery_status) dto.delivery = { status: m.delivery_status, reason: m.delivery_reason ?? null, updatedAt: Number(m.delivery_updated_at) };
  return dto;
}

export function toVisitorConversationDto(c: ConversationRow, agentName: string | null): VisitorConversationDto {
  return {
    id: c.id,
    status: c.status,
    language: matchLanguage(c.language) ?? 'de',
    lastSeq: Number(c.last_seq),
    agentReadSeq: Number(c.agent_read_seq),
    agentName,
  };
}

const shorten = (text: string | null): string | null => (text && text.length > FIRST_MESSAGE_PREVIEW ? `${text.slice(0, FIRST_MESSAGE_PREVIEW - 1)}…` : text);

export function toNoteDto(n: NoteWithNames): NoteDto {
  return {
    id: n.id,
    conversationId: n.conversation_id,
    kind: n.kind,
    internal: true,
    body: n.body,
    agentId: n.agent_id,
    agentName: n.agent_name,
    toAgentId: n.to_agent_id,
    toAgentName: n.to_agent_name,
    afterSeq: Number(n.after_seq),
    createdAt: Number(n.created_at),
  };
}

export function toConversationSummaryDto(c: ConversationSummaryRow, retentionMs: number, topicIds: string[] = []): ConversationSummaryDto {
  const first = c.first_message;
  return {
    id: c.id,
    siteId: c.site_id,
    siteName: c.site_name,
    channel: c.channel,
    status: c.status,
    language: matchLanguage(c.language) ?? 'de',
    pageUrl: c.page_url,
    agentId: c.agent_id,
    agentName: c.agent_name,
    createdAt: Number(c.created_at),
    claimedAt: num(c.claimed_at),
    closedAt: num(c.closed_at),
    lastSeq: Number(c.last_seq),
    lastMessageAt: num(c.last_message_at),
    firstMessage: first && first.length > FIRST_MESSAGE_PREVIEW ? `${first.slice(0, FIRST_MESSAGE_PREVIEW - 1)}…` : first,
    visitorReadSeq: Number(c.visitor_read_seq),
    agentReadSeq: Number(c.agent_read_seq),
    unread: Number(c.unread ?? 0),
    region: c.region ?? null,
    deleteAt: c.status === 'closed' && c.closed_at !== null ? Number(c.closed_at) + retentionMs : null,
    pseudonym: c.pseudonym,
    heldSince: num(c.held_since),
    lastMessage: shorten(c.last_body),
    lastMessageAuthor: c.last_author === 'system' ? null : c.last_author,
    topicIds,
    ...(c.channel !== 'widget' ? { channelAccountName: c.channel_account_name } : {}),
    ...(c.channel === 'widget' && c.reply_notice_id ? { replyNotice: true } : {}),
  };
}
