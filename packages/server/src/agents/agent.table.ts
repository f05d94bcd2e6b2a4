import type { Generated, Insertable, Selectable } from 'kysely';
import type { AgentRole } from '@direturn/protocol';

export interface AgentTable {
  id: string;
  email: string;
  name: string;
  /** argon2id PHC string */
  password_hash: string;
  role: AgentRole;
  /** JSON array of language codes the agent counsels in. */
  languages: string;
  /** JSON array of federal-state keys the agent covers (routing of orientation cases). */
  regions: Generated<string>;
  created_at: number;
  disabled_at: number | null;
  /** Set by an admin's password reset until the agent has chosen a new password. */
  password_reset_at: Generated<number | null>;
}
export type AgentRow = Selectable<AgentTable>;
export type NewAgentRow = Insertable<AgentTable>;
