/** Schemas of the counsellor-work requests (re-exported by schemas.ts). */
import { CHANNEL_KINDS } from './channels.js';
import * as v from 'valibot';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { WORK_LIMITS } from './conversation-work.js';

const language = v.picklist(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], 'unsupported language');
const uuid = (what: string) => v.pipe(v.string(), v.uuid(`not ${what}`));
const noteBody = v.pipe(
  v.string(),
  v.transform((s) => s.normalize('NFC')),
  v.trim(),
  v.nonEmpty('must not be empty'),
  v.maxLength(WORK_LIMITS.noteMaxChars, `must be at most ${WORK_LIMITS.noteMaxChars} characters`),
);

/** `POST /api/conversations/:id/notes`: the holder writes an internal note. */
export const NoteInputSchema = v.object({ body: noteBody });

/**
 * `POST /api/conversations/:id/transfer` (the holder) and `/reassign` (an admin): to a named
 * colleague, or back to the queue for everyone who speaks `language` (default: the conversation's).
 */
export const TransferInputSchema = v.object({
  to: v.variant('kind', [v.object({ kind: v.literal('agent'), agentId: uuid('an agent id') }), v.object({ kind: v.literal('queue'), language: v.optional(language) })]),
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(WORK_LIMITS.noteMaxChars, `must be at most ${WORK_LIMITS.noteMaxChars} characters`))),
});
export type TransferInput = v.InferOutput<typeof TransferInputSchema>;

/** `PUT /api/me/availability`. */
export const AvailabilityInputSchema = v.object({ availability: v.picklist(['available', 'away'] as const, 'must be available or away') });

/** `PUT /api/agents/:id/max-parallel` (admin). */
export const MaxParallelInputSchema = v.object({ maxParallel: v.pipe(v.number(), v.integer(), v.minValue(1, 'must be at least 1'), v.maxValue(50, 'must be at most 50')) });

/** `POST /api/topics`, `PATCH /api/topics/:id` (admin). */
export const TopicInputSchema = v.object({
  label: v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'), v.maxLength(WORK_LIMITS.topicLabelMaxChars, `must be at most ${WORK_LIMITS.topicLabelMaxChars} characters`)),
});
export const TopicUpdateSchema = v.object({
  label: v.optional(TopicInputSchema.entries.label),
  archived: v.optional(v.boolean()),
});

/** `PUT /api/conversations/:id/topics`: the holder sets the conversation's topics. */
export const ConversationTopicsSchema = v.object({
  topicIds: v.pipe(v.array(uuid('a topic id')), v.maxLength(WORK_LIMITS.topicsPerConversation, `at most ${WORK_LIMITS.topicsPerConversation} topics`)),
});

const epochMs = v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be epoch milliseconds'), v.transform(Number));

/** `GET /api/conversations/search`: every filter optional; `before` pages by creation time. */
export const ConversationSearchQuerySchema = v.pipe(
  v.object({
    status: v.optional(v.picklist(['waiting', 'active', 'closed'] as const, 'must be waiting, active or closed')),
    language: v.optional(language),
    site: v.optional(uuid('a site id')),
    topic: v.optional(uuid('a topic id')),
    channel: v.optional(v.picklist(['widget', ...CHANNEL_KINDS] as const, 'unknown channel')),
    from: v.optional(epochMs),
    to: v.optional(epochMs),
    before: v.optional(epochMs),
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(200)), '50'),
  }),
  v.check((q) => q.from === undefined || q.to === undefined || q.from <= q.to, 'from must not be after to'),
);
export type ConversationSearchQuery = v.InferOutput<typeof ConversationSearchQuerySchema>;
