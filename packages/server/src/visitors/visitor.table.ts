import type { Selectable } from 'kysely';

/** An anonymous visitor: no name, e-mail or phone, only a hash of the secret token the widget keeps. */
export interface VisitorTable {
  id: string;
  site_id: string;
  token_hash: string;
  language: string;
  created_at: number;
  last_seen_at: number;
}
export type VisitorRow = Selectable<VisitorTable>;
