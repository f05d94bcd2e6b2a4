import type { LanguageCode } from './languages.js';

/** Days of the week as opening hours name them (ISO order, Monday first). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One period of a day, local time of the site ("08:30"–"16:00"; "24:00" ends at midnight). */
export interface OpeningPeriod { from: string; to: string }

/**
 * When counsellors answer a site's chat, in the site's time zone. `null` on a site: always open.
 * A day without periods (or absent) is closed.
 */
export type OpeningHours = Partial<Record<Weekday, OpeningPeriod[]>>;

/**
 * Sent to the widget while the site is closed: `text` is the away message in the visitor's
 * language with the time counsellors are back already filled in; `backAt` (epoch ms, null when no
 * period is ever open) lets the widget drop the notice when the time has come.
 */
export interface AwayNoticeDto { text: string; backAt: number | null }

/** `<script>` tag a partner page embeds, with the server's configured public address. */
export function embedSnippet(publicUrl: string, siteKey: string): string {
  return `<script type="module" src="${publicUrl.replace(/\/$/, '')}/widget.js" data-site="${siteKey}"></script>`;
}

/** Admin view of a site's away messages: the operator's overrides per language (others use the built-in texts). */
export type AwayMessages = Partial<Record<LanguageCode, string>>;
