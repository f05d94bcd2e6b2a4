import type { AgentDto, AgentServerFrame, ConversationSummaryDto, MessageDeliveryDto, MessageDto, NoteDto, VisitorConversationDto, VisitorServerFrame } from '@direturn/protocol';
import { CLOSE_CODES } from '@direturn/protocol';
import { shouldNotify } from '../conversations/conversation.policy.js';
import { mayPreview } from '../conversations/read-access.js';
import type { ConversationChange } from '../conversations/conversation.service.js';
import type { ConversationRow } from '../conversations/conversation.table.js';

// The fan-out rule, pure: an event and the data it concerns → who gets which frame. No sockets,
// no database: the delivery (delivery.ts) loads the data and sends to the sockets this process holds.

export type Delivery =
  /** Every socket of this visitor, except the one the event came from (it got an ack). */
  | { to: 'visitor'; visitorId: string; frame: VisitorServerFrame; except?: string | undefined; close?: number }
  | { to: 'agent'; agentId: string; frame: AgentServerFrame; except?: string | undefined }
  /** Every counsellor socket whose agent satisfies `where`; the frame may depend on the agent. */
  | { to: 'agents'; where: (agent: AgentDto) => boolean; frame: AgentServerFrame | ((agent: AgentDto) => AgentServerFrame) };

/** Changes that move a conversation between lists: every console hears of them (see shouldNotify). */
const STATUS_CHANGES: ReadonlySet<ConversationChange> = new Set(['created', 'claimed', 'closed', 'transferred', 'requeued']);

/** Close code after "delete my data": the token is void; the widget forgets it. */
export const CLOSE_DELETED = CLOSE_CODES.deleted;

/**
 * A new message: to the visitor and the assigned counsellor (not echoed to the sending socket),
 * and the conversation's summary to every console that lists it (`summary` is loaded only where
 * counsellors are connected).
 */
export function messageFanout(conversation: ConversationRow, message: MessageDto, summary: ConversationSummaryDto | undefined, origin?: string): Delivery[] {
  const out: Delivery[] = [{ to: 'visitor', visitorId: conversation.visitor_id, frame: { type: 'message', message }, except: origin }];
  if (conversation.agent_id) out.push({ to: 'agent', agentId: conversation.agent_id, frame: { type: 'message', message }, except: origin });
  if (summary) out.push({ to: 'agents', where: (a) => shouldNotify(a, conversation, false), frame: summaryAs(summary) });
  return out;
}

/**
 * A `conversation` frame with as much as each agent may preview (conversations/read-access.ts):
 * counsellors another took it from learn only that it left their queue; admins open it to read.
 */
function summaryAs(summary: ConversationSummaryDto): (agent: AgentDto) => AgentServerFrame {
  const full: AgentServerFrame = { type: 'conversation', conversation: summary };
  const bare: AgentServerFrame = { type: 'conversation', conversation: { ...summary, firstMessage: null, pageUrl: null, lastMessage: null } };
  const current = { status: summary.status, agent_id: summary.agentId };
  return (a) => (mayPreview(a, current) ? full : bare);
}

/**
 * Status, assignment or language changed. Who is told is decided on the summary just read, not on
 * the event's (maybe older) row; what they see of it by read-access (summaryAs).
 */
export function changeFanout(
  conversation: ConversationRow,
  visitorView: VisitorConversationDto,
  summary: ConversationSummaryDto | undefined,
  change: ConversationChange,
): Delivery[] {
  const out: Delivery[] = [{ to: 'visitor', visitorId: conversation.visitor_id, frame: { type: 'conversation', conversation: visitorView } }];
  if (summary) {
    const statusChanged = STATUS_CHANGES.has(change);
    const current = { status: summary.status, agent_id: summary.agentId };
    out.push({ to: 'agents', where: (a) => shouldNotify(a, current, statusChanged), frame: summaryAs(summary) });
  }
  return out;
}

/**
 * A read mark moved. The visitor sees the counsellor's; the counsellor sees both. After an answer
 * the summary of the `message` event already carries the counsellor's new mark, else it comes here.
 */
export function readFanout(conversation: ConversationRow, by: 'visitor' | 'agent', seq: number, summary: ConversationSummaryDto | undefined): Delivery[] {
  const frame = { type: 'read', conversationId: conversation.id, by, seq } as const;
  const out: Delivery[] = [];
  if (by === 'agent') out.push({ to: 'visitor', visitorId: conversation.visitor_id, frame });
  if (conversation.agent_id) {
    out.push({ to: 'agent', agentId: conversation.agent_id, frame });
    // The assignee: may preview their own conversation.
    if (summary) out.push({ to: 'agent', agentId: conversation.agent_id, frame: { type: 'conversation', conversation: summary } });
  }
  return out;
}

/** Whether readFanout needs the summary: a counsellor's mark that no answer carried. */
export const readNeedsSummary = (conversation: ConversationRow, by: 'visitor' | 'agent', withMessage: boolean): boolean =>
  by === 'agent' && !withMessage && conversation.agent_id !== null;

/** Deleted conversations leave every console list; a deleted visitor's sockets are told and closed. */
export function deletedFanout(conversationIds: readonly string[], visitorId?: string): Delivery[] {
  const out: Delivery[] = conversationIds.map((conversationId) => ({ to: 'agents', where: () => true, frame: { type: 'conversation-deleted', conversationId } }));
  if (visitorId) out.push({ to: 'visitor', visitorId, frame: { type: 'deleted' }, close: CLOSE_DELETED });
  return out;
}

export function typingFanout(e: { to: 'visitor' | 'agent'; targetId: string; conversationId: string; author: 'visitor' | 'agent'; active: boolean }): Delivery[] {
  const frame = { type: 'typing', conversationId: e.conversationId, author: e.author, active: e.active } as const;
  return [e.to === 'visitor' ? { to: 'visitor', visitorId: e.targetId, frame } : { to: 'agent', agentId: e.targetId, frame }];
}

/**
 * An internal note: to the conversation's holder only (whoever else may read it opens the
 * conversation, which is audited). Never to the visitor: there is no visitor delivery here. A
 * handover note also tells the new holder that the conversation was handed to them.
 */
export function noteFanout(conversation: ConversationRow, note: NoteDto, handover: boolean): Delivery[] {
  if (!conversation.agent_id) return [];
  const out: Delivery[] = [{ to: 'agent', agentId: conversation.agent_id, frame: { type: 'note', note } }];
  if (handover && note.toAgentId === conversation.agent_id) {
    out.push({ to: 'agent', agentId: conversation.agent_id, frame: { type: 'handover', conversationId: conversation.id, fromAgentName: note.agentName, note } });
  }
  return out;
}

/** A reply's delivery on its channel moved: to the conversation's holder (who sent it or holds it now). */
export function deliveryFanout(conversation: ConversationRow, messageId: string, delivery: MessageDeliveryDto): Delivery[] {
  if (!conversation.agent_id) return [];
  return [{ to: 'agent', agentId: conversation.agent_id, frame: { type: 'delivery', conversationId: conversation.id, messageId, delivery } }];
}
