import type { Generated, Insertable, Selectable } from 'kysely';

export interface SiteTable {
  id: string;
  /** Public key a partner page puts in its script tag. */
  key: string;
  name: string;
  /** JSON array of origins allowed to embed the widget. */
  allowed_origins: string;
  default_language: string;
  /** The widget's first view for a visitor without a conversation: 'home' (information and chat) or 'chat'. */
  start_view: Generated<'home' | 'chat'>;
  created_at: number;
}
export type SiteRow = Selectable<SiteTable>;
export type NewSiteRow = Insertable<SiteTable>;
