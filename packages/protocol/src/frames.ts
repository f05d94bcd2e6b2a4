/** What the server sends over the visitor and agent sockets. */
import type { ErrorCode } from './errors.js';
import type { AwayNoticeDto } from './sites.js';
import type { ConversationSummaryDto, MessageDto, VisitorConversationDto, AgentDto, PrivacyNoticeDto } from './model.js';
import type { ReferralDto, VisitorReferralDto } from './referrals.js';
import type { AvailabilityDto, NoteDto } from './conversation-work.js';
import type { MessageDeliveryDto } from './channels.js';
import type { CallbackDto, VisitorCallbackDto } from './callbacks.js';
import type { CallServerFrame } from './calls.js';

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** The clientId of the `send` this error answers, when there is one. */
  ref?: string;
  /** What exactly was wrong (for `orientation_answers_invalid`: `<question>: <code>`). */
  issues?: string[];
  /** For `rate_limited`: how long to wait before trying again. */
  retryAfterMs?: number;
}
export interface PongFrame { type: 'pong' }

/** A message was persisted; `clientId` names the sender's frame. Sent only to the sender. */
export interface AckFrame { type: 'ack'; clientId: string; message: MessageDto }
export interface MessageFrame { type: 'message'; message: MessageDto }
export interface TypingFrame { type: 'typing'; conversationId: string; author: 'visitor' | 'agent'; active: boolean }
export interface ReadFrame { type: 'read'; conversationId: string; by: 'visitor' | 'agent'; seq: number }
/** Answer to `sync`: every message after the requested seq, in order. */
export interface SyncedFrame { type: 'synced'; conversationId: string | null; messages: MessageDto[] }

export interface WelcomeFrame {
  type: 'welcome';
  /** Keep this secret: it is the visitor's only key to their conversation. */
  token: string;
  visitorId: string;
  conversation: VisitorConversationDto | null;
  /** Messages after the hello's lastSeq (all of them on a first hello). */
  messages: MessageDto[];
  agentsOnline: boolean;
  /** The site is outside its opening hours (absent while open). */
  away?: AwayNoticeDto;
  /** What is stored, for how long and who reads it, in the visitor's language; show before the first message. */
  privacy?: PrivacyNoticeDto;
}
export interface VisitorConversationFrame { type: 'conversation'; conversation: VisitorConversationDto }
export interface PresenceFrame { type: 'presence'; agentsOnline: boolean; away?: AwayNoticeDto }

/**
 * Answer to the visitor's `delete`: their conversations, messages and identity are gone from the
 * database. The server closes the socket (code 4410) right after; the widget forgets its token.
 */
export interface DeletedFrame { type: 'deleted' }

/**
 * The referrals of the visitor's current conversation (after the welcome when there are any, and
 * whenever one changes): proposals to answer, and what became of the consented ones.
 */
export interface VisitorReferralsFrame { type: 'referrals'; referrals: VisitorReferralDto[] }

/**
 * A new resume code for this visitor (answer to `resume-code`). Shown once: the server keeps only
 * its hash, so the widget keeps it (beside the token) to show it again.
 */
export interface ResumeCodeFrame { type: 'resume-code'; code: string; createdAt: number }

/**
 * The visitor continued on another device with their resume code: this device's token is void.
 * The server closes the socket (code 4409) right after; the widget forgets its token.
 */
export interface ResumedElsewhereFrame { type: 'resumed-elsewhere' }

/**
 * The visitor's callback requests of their current conversation (after the welcome when there are
 * any, and whenever one is received or handled). Never the number.
 */
export interface VisitorCallbacksFrame { type: 'callbacks'; callbacks: VisitorCallbackDto[] }

/**
 * Reply notices by e-mail (issue 15): whether they are on for the visitor's current conversation.
 * Sent after the welcome and in answer to `reply-notice-on`/`-off`, only by a server that can send
 * mail: a widget that never gets one does not offer them. Never the address.
 */
export interface ReplyNoticeFrame { type: 'reply-notice'; on: boolean; since: number | null }

export type VisitorServerFrame =
  | WelcomeFrame
  | ReplyNoticeFrame
  | ResumeCodeFrame
  | ResumedElsewhereFrame
  | VisitorReferralsFrame
  | VisitorCallbacksFrame
  | DeletedFrame
  | AckFrame
  | MessageFrame
  | TypingFrame
  | ReadFrame
  | SyncedFrame
  | VisitorConversationFrame
  | PresenceFrame
  | CallServerFrame
  | ErrorFrame
  | PongFrame;

export interface AgentReadyFrame {
  type: 'ready';
  agent: AgentDto;
  /** The counsellor's availability and load (absent only from older servers). */
  availability?: AvailabilityDto;
}
/** A conversation appeared, changed status, got a message or was read: the console updates its lists. */
export interface AgentConversationFrame { type: 'conversation'; conversation: ConversationSummaryDto }

/** A conversation was deleted (by the visitor, retention or an admin): drop it from every list. */
export interface AgentConversationDeletedFrame { type: 'conversation-deleted'; conversationId: string }

/** A referral was created or changed (to its counsellor and to admins). */
export interface AgentReferralFrame { type: 'referral'; referral: ReferralDto }

/** An internal note (or handover note) was written: to the conversation's holder and to admins. Never to visitors. */
export interface AgentNoteFrame { type: 'note'; note: NoteDto }

/**
 * A conversation was handed to this counsellor (by a colleague or an admin): the console tells them,
 * with the handover note. The conversation itself arrives as a `conversation` frame.
 */
export interface AgentHandoverFrame { type: 'handover'; conversationId: string; fromAgentName: string | null; note: NoteDto | null }

/**
 * The delivery of a counsellor's reply on a channel moved (queued → sent → delivered → read, or
 * failed with a reason in words): to the conversation's holder.
 */
export interface AgentDeliveryFrame { type: 'delivery'; conversationId: string; messageId: string; delivery: MessageDeliveryDto }

/** A counsellor's availability changed: to their own consoles (other tabs) and to admins. */
export interface AgentAvailabilityFrame { type: 'availability'; availability: AvailabilityDto }

/** A callback request was made, claimed, released or handled: to every counsellor's console. Never the number. */
export interface AgentCallbackFrame { type: 'callback'; callback: CallbackDto }

export type AgentServerFrame =
  | AgentReadyFrame
  | AgentDeliveryFrame
  | AgentCallbackFrame
  | AgentNoteFrame
  | AgentHandoverFrame
  | AgentAvailabilityFrame
  | AgentReferralFrame
  | AgentConversationDeletedFrame
  | AgentConversationFrame
  | AckFrame
  | MessageFrame
  | TypingFrame
  | ReadFrame
  | SyncedFrame
  | CallServerFrame
  | ErrorFrame
  | PongFrame;
