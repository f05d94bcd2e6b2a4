import type { AgentDto } from '@direturn/protocol';
import { canWrite } from '../conversations/conversation.policy.js';
import type { ConversationRow } from '../conversations/conversation.table.js';
import type { ReferralWithConversation } from './referral.repository.js';

// Who may do what with referrals: decided here and nowhere else.

/** The counsellor who has taken the conversation refers from it. */
export const canRefer = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean => canWrite(agent, c);

/** The referring counsellor, the conversation's counsellor now, and admins. */
export const canViewReferral = (agent: AgentDto, r: Pick<ReferralWithConversation, 'agent_id' | 'conversation_agent_id'>): boolean =>
  agent.role === 'admin' || r.agent_id === agent.id || r.conversation_agent_id === agent.id;

/** Cancelling a proposal, retrying a failed mail: the same people. */
export const canManageReferral = canViewReferral;

/** Referral statistics (counts only) are for admins. */
export const canReadReferralStats = (agent: AgentDto): boolean => agent.role === 'admin';
