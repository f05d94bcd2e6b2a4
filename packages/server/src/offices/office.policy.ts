import type { AgentDto } from '@direturn/protocol';

// Who may do what with the office directory: decided here and nowhere else.

/** Admins keep the directory (create, edit, deactivate, import). */
export const canManageOffices = (agent: AgentDto): boolean => agent.role === 'admin';

/** Every counsellor reads it (the Refer dialog), and exports it. */
export const canReadOffices = (_agent: AgentDto): boolean => true;
