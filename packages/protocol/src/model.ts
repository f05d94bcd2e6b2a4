import type { AwayMessages, OpeningHours } from './sites.js';
import type { LanguageCode } from './languages.js';
import type { MessageContextDto } from './knowledge.js';
import type { ChannelKind, MessageAttachmentDto, MessageDeliveryDto } from './channels.js';

/** How a conversation reached DiReturn: the widget, or a channel account (channels.ts) feeding the same model. */
export type Channel = 'widget' | ChannelKind;
export type ConversationStatus = 'waiting' | 'active' | 'closed';
export type Author = 'visitor' | 'agent' | 'system';
/** Editors work on the knowledge base only; counsellors on conversations; admins on everything. */
export type AgentRole = 'admin' | 'counsellor' | 'editor';
/** Bodies of `system` messages: a code the clients translate, never free text. */
export type SystemEvent =
  | 'claimed'
  | 'closed'
  /** Another counsellor now holds the conversation (a handover or a supervisor's reassignment). No names. */
  | 'transferred'
  /** The conversation is back in the queue (handed back, or its counsellor was away too long). */
  | 'requeued'
  /** The visitor asked for a call back (never the number). */
  | 'callback_requested'
  /** A counsellor called and did not reach the visitor; the request stays open. */
  | 'callback_not_reached'
  /** The callback is done, with its outcome (`CallbackEnd`): the number is deleted. */
  | 'callback_reached'
  | 'callback_wrong_number'
  | 'callback_done'
  | 'callback_expired';

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
  /** What the visitor was reading when they wrote this (an article); absent otherwise. */
  context?: MessageContextDto;
  /** Attachments the person sent on a channel (type and size only: the content is not kept). */
  attachments?: MessageAttachmentDto[];
  /** A counsellor's reply in a channel conversation: where its delivery is. Absent for the widget. */
  delivery?: MessageDeliveryDto;
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
  /** The visitor gets an e-mail when a reply waits unread (docs/reply-notices.md); never the address. Absent: off. */
  replyNotice?: boolean;
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
  /** Federal state (key) from the visitor's orientation check; null without one. Optional for compatibility. */
  region?: string | null;
  /**
   * Epoch ms after which the retention job deletes this conversation (closed conversations only;
   * null while it is open). Optional only for compatibility; the server always sends it.
   */
  deleteAt?: number | null;
  /** A short random name to tell visitors apart ("Lumo 42"); derived from nothing about the person. */
  pseudonym?: string | null;
  /** Since when the current holder holds it (claim, handover or reassignment); null while waiting. */
  heldSince?: number | null;
  /** The newest visitor or counsellor message, shortened (only for those who may preview it). */
  lastMessage?: string | null;
  lastMessageAuthor?: 'visitor' | 'agent' | null;
  /** Ids of the topics the conversation is tagged with. */
  topicIds?: string[];
  /** The channel account a channel conversation came through (its name for the badge); absent for the widget. */
  channelAccountName?: string | null;
}

export interface AgentDto {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  languages: LanguageCode[];
  /** Federal states (keys) the agent covers; orientation cases from there come first in their queue. Optional for compatibility. */
  regions?: string[];
  /** The agent has a second factor (TOTP). Sent by the server; optional for compatibility. */
  totpEnabled?: boolean;
  /** Two-factor authentication is enforced and this agent must enrol before using the console. */
  totpSetupRequired?: boolean;
  /** An admin reset the password: the agent must choose a new one before using the console. */
  passwordChangeRequired?: boolean;
}

/** What an admin sees of an agent. */
export interface AgentAdminDto extends AgentDto {
  createdAt: number;
  /** Epoch ms when an admin disabled the account; null while active. */
  disabledAt: number | null;
  totpEnabled: boolean;
  /** Live console sessions. */
  sessions: number;
}

/** A link in the privacy notice. */
export interface PrivacyLinkDto { label: string; url: string }

/** The privacy notice the widget shows before the first message. */
export interface PrivacyNoticeDto {
  language: LanguageCode;
  /** Plain text (render as text, paragraphs separated by blank lines). */
  text: string;
  links: PrivacyLinkDto[];
  /** Days after which closed conversations and inactive visitors are deleted. */
  retentionDays: number;
}

/** Every action the audit log records (the console names each in all its languages). */
export const AUDIT_ACTIONS = [
  'conversation.opened',
  'conversation.exported',
  'conversation.deleted',
  'conversation.claimed',
  'conversation.closed',
  'conversation.transferred',
  'conversation.reassigned',
  'conversation.requeued',
  'conversation.note_added',
  'conversation.topics_set',
  'conversation.language_set',
  'channel.account_created',
  'channel.account_updated',
  'channel.account_paused',
  'channel.account_resumed',
  'channel.account_removed',
  'channel.account_connected',
  'agent.availability',
  'topic.created',
  'topic.updated',
  'visitor.deleted_self',
  'retention.deleted',
  'agent.created',
  'agent.updated',
  'agent.sessions_revoked',
  'agent.totp_reset',
  'agent.password_reset',
  'auth.password_changed',
  'site.created',
  'site.updated',
  'site.removed',
  'auth.login',
  'auth.totp_enabled',
  'auth.totp_disabled',
  'settings.updated',
  'office.created',
  'office.updated',
  'office.imported',
  'referral.proposed',
  'knowledge.article_created',
  'knowledge.article_updated',
  'knowledge.article_deleted',
  'knowledge.translation_saved',
  'knowledge.published',
  'knowledge.unpublished',
  'knowledge.imported',
  'saved_reply.created',
  'saved_reply.updated',
  'saved_reply.deleted',
  'orientation.rule_set_saved',
  'callback.claimed',
  'callback.released',
  'callback.outcome',
  'call.offered',
  'call.ended',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of the audit log: who did what to which conversation or agent. Never message text. */
export interface AuditEntryDto {
  id: string;
  at: number;
  /** null for the system (retention job) and visitors. */
  agentId: string | null;
  agentName: string | null;
  action: AuditAction;
  conversationId: string | null;
  /** The agent an admin action concerned. */
  targetAgentId: string | null;
  /** Counts and flags only (e.g. `{ conversations: 3 }`). */
  details: Record<string, string | number | boolean | null>;
}

/** Installation-wide settings an admin can change. */
export interface SettingsDto {
  retentionDays: number;
  /** Every agent must use TOTP; agents without it are sent to enrolment. */
  requireTotp: boolean;
}

export interface SiteDto {
  id: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  defaultLanguage: LanguageCode;
  /** The widget's first view for a visitor without a conversation: information and chat ('home'), or the chat alone. */
  startView: 'home' | 'chat';
  /** A disabled site's widget does not open (its conversations stay until retention deletes them). */
  enabled: boolean;
  /** IANA time zone of the opening hours ("Europe/Berlin"). */
  timeZone: string;
  /** null: always open. */
  openingHours: OpeningHours | null;
  /** The operator's away messages per language; languages without one use the built-in text. */
  awayMessages: AwayMessages;
}
