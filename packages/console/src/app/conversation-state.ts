/** Pure helpers for the root's conversation lists, kept apart so they are easy to reason about. */
import type { ConversationSummaryDto, MessageDeliveryDto, MessageDto } from '@direturn/protocol';

export interface Lists {
  queue: ConversationSummaryDto[];
  mine: ConversationSummaryDto[];
}

const byCreated = (a: ConversationSummaryDto, b: ConversationSummaryDto): number => a.createdAt - b.createdAt;
const lastActivity = (c: ConversationSummaryDto): number => c.lastMessageAt ?? c.claimedAt ?? c.createdAt;
const byActivity = (a: ConversationSummaryDto, b: ConversationSummaryDto): number => lastActivity(b) - lastActivity(a);

/**
 * Puts a conversation where it belongs: waiting → queue (oldest first); active and claimed by me →
 * mine (most recent activity first); anything else (closed, or taken by a colleague) → neither.
 */
export function upsertConversation(lists: Lists, conversation: ConversationSummaryDto, myAgentId: string | null): Lists {
  const queue = lists.queue.filter((c) => c.id !== conversation.id);
  const mine = lists.mine.filter((c) => c.id !== conversation.id);
  if (conversation.status === 'waiting') {
    queue.push(conversation);
    queue.sort(byCreated);
  } else if (conversation.status === 'active' && myAgentId !== null && conversation.agentId === myAgentId) {
    mine.push(conversation);
    mine.sort(byActivity);
  }
  return { queue, mine };
}

export function removeConversation(lists: Lists, id: string): Lists {
  return { queue: lists.queue.filter((c) => c.id !== id), mine: lists.mine.filter((c) => c.id !== id) };
}

export function sortMine(list: ConversationSummaryDto[]): ConversationSummaryDto[] {
  return [...list].sort(byActivity);
}

export function sortQueue(list: ConversationSummaryDto[]): ConversationSummaryDto[] {
  return [...list].sort(byCreated);
}

/**
 * Merges messages by id and orders them by seq. A reply's delivery state keeps the newest report:
 * a `delivery` frame can overtake the message (or a reload) that still says queued.
 */
export function mergeMessages(existing: readonly MessageDto[], incoming: readonly MessageDto[]): MessageDto[] {
  const byId = new Map<string, MessageDto>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) {
    const known = byId.get(m.id);
    const delivery = newerDelivery(known?.delivery, m.delivery);
    byId.set(m.id, delivery ? { ...m, delivery } : m);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function newerDelivery(a: MessageDeliveryDto | undefined, b: MessageDeliveryDto | undefined): MessageDeliveryDto | undefined {
  if (!a || !b) return b ?? a;
  return b.updatedAt >= a.updatedAt ? b : a;
}

/** A `delivery` frame: the reply's new state, if the message is shown; else the messages unchanged. */
export function applyDelivery(messages: readonly MessageDto[], messageId: string, delivery: MessageDeliveryDto): MessageDto[] {
  const known = messages.find((m) => m.id === messageId);
  return known ? mergeMessages(messages, [{ ...known, delivery }]) : [...messages];
}

/**
 * Accounts for a new message in a summary until the server's next `conversation` frame replaces it:
 * bumps lastSeq/lastMessageAt and, for visitor messages nobody is reading, the unread count.
 * Messages at or below the known lastSeq were already counted by the server.
 */
export function applyMessage(c: ConversationSummaryDto, m: MessageDto, beingRead: boolean): ConversationSummaryDto {
  if (m.seq <= c.lastSeq) return c;
  const unread = m.author === 'visitor' && !beingRead ? c.unread + 1 : beingRead ? 0 : c.unread;
  return { ...c, lastSeq: m.seq, lastMessageAt: m.createdAt, unread };
}
