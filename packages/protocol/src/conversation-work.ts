/**
 * Counsellor work on conversations (issue 14): internal notes, handover, availability, supervision,
 * topics and search. Types only; the request schemas are in conversation-work-schemas.ts.
 */
import type { Channel, ConversationStatus, ConversationSummaryDto } from './model.js';
import type { LanguageCode } from './languages.js';

/**
 * An internal note inside a conversation: for counsellors only, never sent to the visitor.
 * `handover`: the note written with a handover or reassignment (`toAgentId` null: back to the queue).
 */
export interface NoteDto {
  id: string;
  conversationId: string;
  kind: 'note' | 'handover';
  /** Always true: exports and clients tell notes from messages by it. */
  internal: true;
  body: string;
  agentId: string | null;
  agentName: string | null;
  /** For a handover: who received it (null = the queue). */
  toAgentId: string | null;
  toAgentName: string | null;
  /** The conversation's last message seq when the note was written: where it sits in the timeline. */
  afterSeq: number;
  createdAt: number;
}

export type Availability = 'available' | 'away';

/** A counsellor's own availability and load. */
export interface AvailabilityDto {
  agentId: string;
  availability: Availability;
  /** Since when (epoch ms). */
  since: number;
  /** How many conversations they may hold at once. */
  maxParallel: number;
  /** How many they hold now. */
  holding: number;
}

/** A colleague a conversation can be handed to. */
export interface ColleagueDto {
  id: string;
  name: string;
  languages: LanguageCode[];
  availability: Availability;
  /** Connected to the console right now (any process). */
  online: boolean;
  holding: number;
  maxParallel: number;
}

/** One open conversation as the supervisor view shows it. */
export interface SupervisedConversationDto {
  id: string;
  pseudonym: string | null;
  status: Extract<ConversationStatus, 'waiting' | 'active'>;
  language: LanguageCode;
  siteName: string;
  agentId: string | null;
  agentName: string | null;
  /** The holder is connected and available. */
  agentAvailable: boolean;
  /** Since when the current holder holds it; for waiting ones since when it waits. */
  since: number;
  lastMessageAt: number | null;
  /** Visitor messages the holder has not read. */
  unread: number;
}

/** A tag from the managed list. Built-in ones carry a `key` the console translates; others a label. */
export interface TopicDto {
  id: string;
  key: string | null;
  label: string | null;
  archived: boolean;
}

export interface NoteListResponse { notes: NoteDto[] }
export interface NoteResponse { note: NoteDto }
export interface AvailabilityResponse { availability: AvailabilityDto }
export interface ColleagueListResponse { colleagues: ColleagueDto[] }
export interface SupervisionResponse { conversations: SupervisedConversationDto[]; colleagues: ColleagueDto[] }
export interface TopicListResponse { topics: TopicDto[] }
export interface TopicResponse { topic: TopicDto }
export interface ConversationSearchResponse {
  conversations: ConversationSummaryDto[];
  /** Pass as `before` for the next page; null when there is none. */
  nextBefore: number | null;
}

/** The filters of `GET /api/conversations/search` as the console builds them. */
export interface ConversationSearchFilters {
  status?: ConversationStatus;
  language?: LanguageCode;
  site?: string;
  topic?: string;
  channel?: Channel;
  /** Created at or after (epoch ms). */
  from?: number;
  /** Created before (epoch ms). */
  to?: number;
}

/** Built-in topics (their labels are translated by the clients). */
export const BUILTIN_TOPICS = ['travel_documents', 'reag_garp', 'health', 'family', 'housing', 'work', 'legal_status', 'reintegration'] as const;
export type BuiltinTopic = (typeof BUILTIN_TOPICS)[number];

export const WORK_LIMITS = {
  noteMaxChars: 4000,
  topicLabelMaxChars: 80,
  topicsPerConversation: 10,
} as const;
