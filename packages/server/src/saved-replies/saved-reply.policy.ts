import type { AgentDto, SavedReplyScope } from '@direturn/protocol';
import { counsels } from '../conversations/conversation.policy.js';
import type { SavedReplyRow } from './saved-reply.table.js';

// Who may do what with saved replies: decided here and nowhere else.

/** Counsellors and admins use saved replies (editors work on the knowledge base only). */
export const canUseSavedReplies = (agent: Pick<AgentDto, 'role'>): boolean => counsels(agent);

/** Admins manage the shared library; every counsellor and admin keeps personal replies of their own. */
export const canCreateSavedReply = (agent: Pick<AgentDto, 'role'>, scope: SavedReplyScope): boolean =>
  counsels(agent) && (scope === 'personal' || agent.role === 'admin');

/**
 * Shared: admins. Personal: only the owner (an admin cannot edit or even see a colleague's own
 * replies: they are that person's working notes).
 */
export const canEditSavedReply = (agent: Pick<AgentDto, 'id' | 'role'>, reply: Pick<SavedReplyRow, 'scope' | 'owner_id'>): boolean =>
  reply.scope === 'shared' ? agent.role === 'admin' : reply.owner_id === agent.id && counsels(agent);
