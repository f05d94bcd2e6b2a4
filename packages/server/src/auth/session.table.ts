import type { Selectable } from 'kysely';

export interface SessionTable {
  /** sha256 of the cookie's secret; the secret itself is never stored. */
  id: string;
  agent_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}
export type SessionRow = Selectable<SessionTable>;
