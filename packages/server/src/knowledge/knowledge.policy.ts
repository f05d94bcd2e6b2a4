import type { AgentDto } from '@direturn/protocol';

// Who may do what with the knowledge base: decided here and nowhere else.

/** Editors and admins write articles and translations, publish and read the searches without hits. */
export const canEditKnowledge = (agent: Pick<AgentDto, 'role'>): boolean => agent.role === 'editor' || agent.role === 'admin';

/** Counsellors and admins look articles up from a conversation (published text only, like visitors). */
export const canLookUpKnowledge = (agent: Pick<AgentDto, 'role'>): boolean => agent.role === 'counsellor' || agent.role === 'admin' || agent.role === 'editor';
