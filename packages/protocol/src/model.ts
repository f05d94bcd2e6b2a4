import type { LanguageCode } from './languages.js';

/** How a conversation reached DiReturn. The widget is the first channel; others feed the same model. */
export type Channel = 'widget';
export type ConversationStatus = 'waiting' | 'active' | 'closed';
export type Author = 'visitor' | 'agent' | 'system';
export type AgentRole = 'admin' | 'counsellor';
/** Bodies of `system` messages: a code the clients translate, never free text. */
export type SystemEvent = 'claimed' | 'closed';

export interface MessageDto {
  id: string;
  conversationId: string;
  /** Position in the conversation, 1-based, without gaps: clients use it to find what they missed. */
  seq: number;
  author: Author;
  body: string;
  /** Id the sending client chose, so a resend is recognised; null for system messages. */
  clientId: string | null;
  /** Display name of the counsellor for agent messages. */
  agentName: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** What the visitor may know about their own conversation. */
export interface VisitorConversationDto {
  id: string;
  status: ConversationStatus;
  language: LanguageCode;
  lastSeq: number;
  /** Highest seq the counsellor has read. */
  agentReadSeq: number;
  /** Display name of the counsellor who took the conversation. */
  agentName: string | null;
}

/** What counsellors see of a conversation in the queue and their own list. */
export interface ConversationSummaryDto {
  id: string;
  siteId: string;
  siteName: string;
  channel: Channel;
  status: ConversationStatus;
  language: LanguageCode;
  pageUrl: string | null;
  agentId: string | null;
  agentName: string | null;
  createdAt: number;
  claimedAt: number | null;
  closedAt: number | null;
  lastSeq: number;
  lastMessageAt: number | null;
  /** First visitor message, shortened for the queue. */
  firstMessage: string | null;
  visitorReadSeq: number;
  agentReadSeq: number;
  /** Visitor messages the counsellor has not read yet. */
  unread: number;
}

export interface AgentDto {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  languages: LanguageCode[];
}

export interface SiteDto {
  id: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  defaultLanguage: LanguageCode;
}
