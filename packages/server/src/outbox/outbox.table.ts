import type { Selectable } from 'kysely';

export type OutboxStatus = 'pending' | 'failed';

/**
 * Work to deliver outside the database (mail now; messenger replies later), stored in the same
 * transaction as the change that causes it. Delivered rows are deleted; failed ones stay for a
 * person to see and retry. The payload names what to deliver (ids), never personal text.
 */
export interface OutboxTable {
  id: string;
  kind: string;
  /** What the row is about (e.g. `referral:<id>`): deleted together with it, shown to admins. */
  subject: string | null;
  /** JSON */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: number;
  /** A process is delivering it until then (a crashed process's claim runs out). */
  locked_until: number | null;
  locked_by: string | null;
  /** Why the last attempt failed (addresses masked). */
  last_error: string | null;
  created_at: number;
  updated_at: number;
}
export type OutboxRow = Selectable<OutboxTable>;
