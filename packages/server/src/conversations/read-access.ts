import type { AgentDto, AuditAction, ConversationSummaryDto } from '@direturn/protocol';
import { DomainError } from '../shared/errors.js';
import { canView } from './conversation.policy.js';
import type { ConversationRow } from './conversation.table.js';

// The one rule for what an agent may read of a conversation, and which reads leave a trace in the
// audit log. Every path that hands out message content (REST, export, every socket frame) asks here.

type Seen = Pick<ConversationRow, 'status' | 'agent_id'>;

/**
 * - `open`: the conversation from its start (REST detail, a socket sync from seq 0);
 * - `export`: the whole conversation as a file;
 * - `catch-up`: the messages after one the reader already has (a socket sync after a reconnect).
 */
export type ReadPurpose = 'open' | 'export' | 'catch-up';

/**
 * May `agent` read the messages of `c`? Throws not_found when not. @returns the audit entry this
 * read must leave, or null. Only the assignee catching up on their own conversation leaves none
 * (their claim is in the log); anyone else reading messages opens the conversation, whatever seq
 * they start after: an admin reading a colleague's conversation, a counsellor reading a waiting one.
 */
export function readAccess(agent: AgentDto, c: Seen, purpose: ReadPurpose): Extract<AuditAction, 'conversation.opened' | 'conversation.exported'> | null {
  if (!canView(agent, c)) throw new DomainError('not_found', 'Conversation not found.');
  if (purpose === 'export') return 'conversation.exported';
  if (purpose === 'catch-up' && c.agent_id === agent.id) return null;
  return 'conversation.opened';
}

/**
 * The preview in lists and `conversation` frames (first message, page address) needs no trace:
 * every counsellor sees it while the conversation waits (to choose one), and the assignee always.
 * Anyone else (admins included) gets the summary without it and opens the conversation to read.
 */
export const mayPreview = (agent: AgentDto, c: Seen): boolean => c.status === 'waiting' || c.agent_id === agent.id;

/** The summary as `agent` may see it without opening the conversation. */
export function summaryFor(agent: AgentDto, summary: ConversationSummaryDto): ConversationSummaryDto {
  return mayPreview(agent, { status: summary.status, agent_id: summary.agentId }) ? summary : { ...summary, firstMessage: null, pageUrl: null, lastMessage: null };
}
