import type { Selectable } from 'kysely';
import type { AuditAction } from '@direturn/protocol';

/** Who did what to which conversation or agent. Never message text, tokens or addresses. */
export interface AuditTable {
  id: string;
  at: number;
  agent_id: string | null;
  action: AuditAction;
  conversation_id: string | null;
  target_agent_id: string | null;
  /** JSON object of counts and flags. */
  details: string;
}
export type AuditRow = Selectable<AuditTable>;
