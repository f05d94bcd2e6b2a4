import type { AgentDto } from '@direturn/protocol';

// Who may do what with the orientation check: decided here and nowhere else.

/** Editors and admins change the rule set (questions, result texts, rules). */
export const canEditOrientation = (agent: Pick<AgentDto, 'role'>): boolean => agent.role === 'editor' || agent.role === 'admin';

/** Everyone in the console reads rule-set versions (a case summary is shown through the version that produced it). */
export const canReadOrientation = (_agent: Pick<AgentDto, 'role'>): boolean => true;
