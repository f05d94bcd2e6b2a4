import type { AgentDto } from '@direturn/protocol';
import { counsels } from '../conversations/conversation.policy.js';
import type { CallbackRow } from './callback.table.js';

// Who may do what with callbacks: decided here and nowhere else.

/** Counsellors and admins see the list and claim. */
export const canWorkCallbacks = (agent: AgentDto): boolean => counsels(agent);

/** The number: only the counsellor who claimed it, while they have it. Admins included in "nobody else". */
export const seesNumber = (agent: AgentDto, c: Pick<CallbackRow, 'status' | 'agent_id'>): boolean => c.status === 'claimed' && c.agent_id === agent.id;

/** The note: whoever has or finished it, and admins. */
export const seesNote = (agent: AgentDto, c: Pick<CallbackRow, 'agent_id'>): boolean => agent.role === 'admin' || c.agent_id === agent.id;

/** Giving it back to the list: its holder, or an admin (a counsellor who left). */
export const canRelease = (agent: AgentDto, c: Pick<CallbackRow, 'status' | 'agent_id'>): boolean => c.status === 'claimed' && (c.agent_id === agent.id || agent.role === 'admin');
