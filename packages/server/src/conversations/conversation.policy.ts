import type { AgentDto } from '@direturn/protocol';
import { DomainError } from '../shared/errors.js';
import type { ConversationRow } from './conversation.table.js';

// Who may do what with a conversation: decided here and nowhere else. Every REST route and every
// socket frame that touches a conversation goes through `authorize` (or `may`).
//
// The write rule: only the conversation's current holder writes in it (messages, typing, read
// marks that count, internal notes, topics, referrals, handover, closing). Nobody else does, admins
// included: an admin takes the conversation over (reassigns it, to themselves or a colleague)
// first. Admins are the supervisors: they see every conversation and move it between holders.

/** Counsellors and admins work on conversations; editors (knowledge base only) never see one. */
export const counsels = (agent: Pick<AgentDto, 'role'>): boolean => agent.role === 'counsellor' || agent.role === 'admin';

/** Supervisors see every open conversation with its holder and reassign them. */
export const supervises = (agent: Pick<AgentDto, 'role'>): boolean => agent.role === 'admin';

type Held = Pick<ConversationRow, 'status' | 'agent_id'>;

export type ConversationAction =
  /** Read its messages and notes, see it in lists. */
  | 'view'
  /** Take it from the queue. */
  | 'claim'
  /** Send a message, type, write a note, propose a referral, hand it over: the holder, while active. */
  | 'write'
  /** Close it: the holder (a supervisor also a waiting one). */
  | 'close'
  /** Set its topics: the holder, also after closing (tagging happens at the end). */
  | 'tag'
  /** Correct its language: the holder while active; while it waits, any counsellor (so it routes right). */
  | 'language'
  /** Move it to another holder or back to the queue without holding it: supervisors. */
  | 'reassign'
  /** Delete it for good: admins. */
  | 'delete';

const isHolder = (agent: AgentDto, c: Held): boolean => c.agent_id !== null && c.agent_id === agent.id;

export function may(agent: AgentDto, action: ConversationAction, c: Held): boolean {
  if (!counsels(agent)) return false;
  switch (action) {
    case 'view':
      // Waiting conversations are visible to every counsellor (to choose one); afterwards only to the holder and supervisors.
      return c.status === 'waiting' || isHolder(agent, c) || supervises(agent);
    case 'claim':
      return c.status === 'waiting';
    case 'write':
      return c.status === 'active' && isHolder(agent, c);
    case 'close':
      // A waiting conversation is nobody's: a supervisor may close it (e.g. spam) without taking it.
      return (c.status === 'active' && isHolder(agent, c)) || (c.status === 'waiting' && supervises(agent));
    case 'tag':
      return c.status !== 'waiting' && isHolder(agent, c);
    case 'language':
      return (c.status === 'active' && isHolder(agent, c)) || c.status === 'waiting';
    case 'reassign':
      return c.status !== 'closed' && supervises(agent);
    case 'delete':
      return agent.role === 'admin';
  }
}

/**
 * Throws unless `agent` may do `action` on `c`: not_found when they may not even see it (no hint
 * that it exists), conversation_closed or forbidden when they see it but may not act.
 */
export function authorize(agent: AgentDto, action: ConversationAction, c: Held | undefined): asserts c is Held {
  if (!c || !may(agent, 'view', c)) throw new DomainError('not_found', 'Conversation not found.');
  if (may(agent, action, c)) return;
  if (c.status === 'closed' && action !== 'tag' && action !== 'delete') throw new DomainError('conversation_closed', 'This conversation is closed.');
  if (action === 'claim') throw new DomainError('conversation_taken', 'Another counsellor has already taken this conversation.');
  throw new DomainError('forbidden', FORBIDDEN[action]);
}

const FORBIDDEN: Record<ConversationAction, string> = {
  view: 'Conversation not found.',
  claim: 'Another counsellor has already taken this conversation.',
  write: 'Only the counsellor who holds this conversation can write in it. Take it over first.',
  close: 'Only the counsellor who holds this conversation can close it.',
  tag: 'Only the counsellor who holds this conversation can set its topics.',
  language: 'Only the counsellor who holds this conversation can change its language.',
  reassign: 'Only supervisors can reassign conversations.',
  delete: 'Only admins can delete conversations.',
};

/** Kept for the callers that read better with it. */
export const canView = (agent: AgentDto, c: Held): boolean => may(agent, 'view', c);
export const canWrite = (agent: AgentDto, c: Held): boolean => may(agent, 'write', c);

/** Which agents are told about a change: everyone while it waits or when it moves between lists, then the holder. */
export const shouldNotify = (agent: AgentDto, c: Held, statusChanged: boolean): boolean =>
  counsels(agent) && (statusChanged || c.status === 'waiting' || c.agent_id === agent.id);
