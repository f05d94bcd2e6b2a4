import type { Selectable } from 'kysely';

/**
 * A visitor's resume code, at most one: its first characters (selector) find the row; the whole
 * code is checked against `verifier_hash`, an HMAC with a key derived from the installation's
 * encryption key, so a copy of the database alone lets no one guess codes offline.
 */
export interface ResumeCodeTable {
  visitor_id: string;
  selector: string;
  verifier_hash: string;
  created_at: number;
}
export type ResumeCodeRow = Selectable<ResumeCodeTable>;
