import type { AgentDto } from '@direturn/protocol';
import type { ConversationRow } from './conversation.table.js';

// Who may do what with a conversation: decided here and nowhere else.

/** Waiting conversations are visible to every counsellor (to choose one); afterwards only to the assignee and admins. */
export const canView = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean =>
  c.status === 'waiting' || c.agent_id === agent.id || agent.role === 'admin';

/** Only the counsellor who took the conversation writes in it. */
export const canWrite = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean =>
  c.status === 'active' && c.agent_id === agent.id;

export const canClose = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>): boolean =>
  c.agent_id === agent.id || agent.role === 'admin';

/** Which agents are told about a change: everyone while it waits, then the assignee. */
export const shouldNotify = (agent: AgentDto, c: Pick<ConversationRow, 'status' | 'agent_id'>, statusChanged: boolean): boolean =>
  statusChanged || c.status === 'waiting' || c.agent_id === agent.id;
