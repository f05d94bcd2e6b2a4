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
  /** Epoch ms when an admin disabled the site (its widget does not open); null while enabled. */
  disabled_at: Generated<number | null>;
  /** IANA time zone the opening hours are in. */
  time_zone: Generated<string>;
  /** JSON OpeningHours; null = always open. */
  opening_hours: Generated<string | null>;
  /** JSON object: language → the operator's away message. */
  away_messages: Generated<string>;
}
export type SiteRow = Selectable<SiteTable>;
export type NewSiteRow = Insertable<SiteTable>;
