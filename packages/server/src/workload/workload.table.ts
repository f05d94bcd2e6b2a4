import type { Selectable } from 'kysely';
import type { Availability } from '@direturn/protocol';

/** A counsellor's availability and load; a row appears with the first change (default: available). */
export interface AgentStatusTable {
  agent_id: string;
  availability: Availability;
  changed_at: number;
  /** Last moment a process saw the counsellor connected; refreshed while they are. */
  last_seen_at: number | null;
  /** Overrides the installation's default (DIRETURN_MAX_PARALLEL). */
  max_parallel: number | null;
}
export type AgentStatusRow = Selectable<AgentStatusTable>;
