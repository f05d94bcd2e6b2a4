/** Saved replies: answers counsellors insert into a conversation, with one text per language. */
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';

/** `shared`: the team's library (admins manage it); `personal`: one counsellor's own, seen by no one else. */
export type SavedReplyScope = 'shared' | 'personal';

export const SAVED_REPLY_LIMITS = {
  titleMaxChars: 120,
  /** A reply is inserted into the composer: never longer than a message may be. */
  bodyMaxChars: 4000,
  shortcutMaxChars: 40,
  /** Replies per scope a listing returns (the library is a curated set, not an archive). */
  listMax: 500,
} as const;

/** Filled when a reply is inserted; unknown placeholders stay as they are. */
export const SAVED_REPLY_PLACEHOLDERS = ['counsellor', 'site'] as const;
export type SavedReplyPlaceholder = (typeof SAVED_REPLY_PLACEHOLDERS)[number];

export interface SavedReplyTranslationDto {
  language: LanguageCode;
  title: string;
  /** May contain `{{counsellor}}` and `{{site}}`. */
  body: string;
  updatedAt: number;
}

export interface SavedReplyDto {
  id: string;
  scope: SavedReplyScope;
  /** A word to find it by when typing (e.g. "documents"); empty when none. */
  shortcut: string;
  translations: SavedReplyTranslationDto[];
  /** Shipped demo text (demo installations only): not reviewed advice. */
  example: boolean;
  /** Whether the asking agent may change or delete it (the policy, so the console need not repeat it). */
  canEdit: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SavedReplyListResponse { replies: SavedReplyDto[] }
export interface SavedReplyResponse { reply: SavedReplyDto }

/** `GET /api/saved-replies/:id/render?conversationId=…`: the text to insert, placeholders filled. */
export interface SavedReplyRenderDto {
  replyId: string;
  /** The language of the text. */
  language: LanguageCode;
  /** The conversation's language (what was asked for). */
  requested: LanguageCode;
  /** True when `language` is not `requested`: the console says so before anything is sent. */
  fallback: boolean;
  text: string;
}
export interface SavedReplyRenderResponse { rendered: SavedReplyRenderDto }

/**
 * The languages tried for a conversation in `wanted`, best first: the conversation's own, then
 * English, then German, then every other shipped language in `LANGUAGE_CODES` order. English
 * before German because most people who do not find their language read English more often
 * than German; German is the language every team writes in. No guessing between related
 * languages (Pashto → Dari, Ukrainian → Russian): that choice belongs to the counsellor, who
 * sees the fallback and can pick another translation.
 */
export function replyLanguageOrder(wanted: LanguageCode): LanguageCode[] {
  return [...new Set<LanguageCode>([wanted, 'en', 'de', ...LANGUAGE_CODES])];
}

/** The translation to insert for `wanted`, and whether it is a fallback; undefined when there is none. */
export function pickReplyTranslation<T extends { language: LanguageCode }>(translations: readonly T[], wanted: LanguageCode): { translation: T; fallback: boolean } | undefined {
  for (const language of replyLanguageOrder(wanted)) {
    const translation = translations.find((t) => t.language === language);
    if (translation) return { translation, fallback: language !== wanted };
  }
  return undefined;
}

/** Replaces `{{counsellor}}` and `{{site}}` (spaces inside the braces allowed); other text stays. */
export function fillReplyPlaceholders(body: string, values: Record<SavedReplyPlaceholder, string>): string {
  return body.replace(/\{\{\s*(counsellor|site)\s*\}\}/g, (_, name: SavedReplyPlaceholder) => values[name]);
}
