import type { Insertable, Selectable } from 'kysely';

export interface SiteTable {
  id: string;
  /** Public key a partner page puts in its script tag. */
  key: string;
  name: string;
  /** JSON array of origins allowed to embed the widget. */
  allowed_origins: string;
  default_language: string;
  created_at: number;
}
export type SiteRow = Selectable<SiteTable>;
export type NewSiteRow = Insertable<SiteTable>;
