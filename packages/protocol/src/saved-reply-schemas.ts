/** Schemas of saved-reply requests (re-exported by schemas.ts). */
import * as v from 'valibot';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { SAVED_REPLY_LIMITS } from './saved-replies.js';

const language = v.picklist(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], 'unsupported language');
const text = (max: number) =>
  v.pipe(
    v.string(),
    v.transform((s) => s.normalize('NFC')),
    v.trim(),
    v.nonEmpty('must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

export const SavedReplyTranslationInputSchema = v.object({
  language,
  title: text(SAVED_REPLY_LIMITS.titleMaxChars),
  body: text(SAVED_REPLY_LIMITS.bodyMaxChars),
});

/**
 * `POST /api/saved-replies` and `PUT /api/saved-replies/:id` (the whole reply: the translations
 * given replace the stored ones). At least one translation, each language once.
 */
export const SavedReplyInputSchema = v.object({
  scope: v.picklist(['shared', 'personal'] as const, 'must be shared or personal'),
  shortcut: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.maxLength(SAVED_REPLY_LIMITS.shortcutMaxChars, `must be at most ${SAVED_REPLY_LIMITS.shortcutMaxChars} characters`),
      v.regex(/^[\p{L}\p{N}_-]*$/u, 'may contain letters, digits, _ and - only'),
    ),
    '',
  ),
  translations: v.pipe(
    v.array(SavedReplyTranslationInputSchema),
    v.minLength(1, 'at least one translation'),
    v.maxLength(LANGUAGE_CODES.length),
    v.check((ts) => new Set(ts.map((t) => t.language)).size === ts.length, 'each language at most once'),
  ),
});
export type SavedReplyInput = v.InferOutput<typeof SavedReplyInputSchema>;

export const SavedReplyRenderQuerySchema = v.object({ conversationId: v.pipe(v.string(), v.uuid('not a conversation id')) });
