import type { AgentDto } from '@direturn/protocol';
import type { ConversationRow } from './conversation.table.js';

// Who may do what with a conversation: decided here and nowhere else.

/** Counsellors and admins work on conversations; editors (knowledge base only) never see one. */
export const counsels = (agent: Pick<AgentDto, 'role'>): boolean => agent.role === 'counsellor' || agent.role === 'admin';

/** Waiting conversations are visible to every counsellor (to choose one); afterwards only to the assignee and admins. */
export const canView = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean =>
  counsels(agent) && (c.status === 'waiting' || c.agent_id === agent.id || agent.role === 'admin');

/** Only the counsellor who took the conversation writes in it. */
export const canWrite = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean =>
  c.status === 'active' && c.agent_id === agent.id;

export const canClose = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean =>
  c.agent_id === agent.id || agent.role === 'admin';

/** Which agents are told about a change: everyone while it waits, then the assignee. */
export const shouldNotify = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>, statusChanged: boolean): boolean =>
  counsels(agent) && (statusChanged || c.status === 'waiting' || c.agent_id === agent.id);
