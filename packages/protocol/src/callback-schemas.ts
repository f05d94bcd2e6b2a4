/**
 * Schemas of callback requests (re-exported by schemas.ts): the shape only. What a visitor can get
 * wrong (the number, windows in the past, consent) is checked by `checkCallbackRequest` with the
 * server's phone rules, so every field gets its own issue (error `callback_invalid`).
 */
import * as v from 'valibot';
import { CALLBACK_LIMITS, CALLBACK_OUTCOMES } from './callbacks.js';

const clientId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -'));
const instant = v.pipe(v.string(), v.maxLength(40));
/** Free text, normalised like message bodies (well-formed, NFC, trimmed). */
const text = (max: number) =>
  v.pipe(
    v.string(),
    v.transform((s) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').normalize('NFC')),
    v.trim(),
    v.maxLength(max, `must be at most ${max} characters`),
  );

/** Visitor socket: asks for a call back. Answered with `callbacks`, or an error `callback_invalid` whose `issues` are `<path>: <code>`. */
export const VisitorCallbackSchema = v.object({
  type: v.literal('callback'),
  /** Chosen by the widget: a resend of the same request is answered, not stored twice. */
  requestId: clientId,
  phone: v.object({
    country: v.pipe(v.string(), v.maxLength(2)),
    // Longer than a number may be, so a too long one is told as such (the check says `phone_invalid`).
    number: v.pipe(v.string(), v.maxLength(64)),
  }),
  language: v.pipe(v.string(), v.maxLength(8)),
  // Ten at most here; the check allows CALLBACK_LIMITS.maxWindows and says so per field.
  windows: v.pipe(v.array(v.object({ start: instant, end: instant })), v.maxLength(10)),
  timeZone: v.pipe(v.string(), v.maxLength(64)),
  // The check tells a topic that is too long; a frame stays well under the frame limit.
  topic: v.optional(text(CALLBACK_LIMITS.topicMaxChars * 2)),
  consent: v.boolean(),
});
export type VisitorCallbackFrame = v.InferOutput<typeof VisitorCallbackSchema>;

export const CallbackListQuerySchema = v.object({
  /** `open`: waiting or claimed; `mine`: claimed by me; `closed`: finished (recent first). */
  filter: v.optional(v.picklist(['open', 'mine', 'closed'] as const, 'must be open, mine or closed'), 'open'),
});

/** `POST /api/callbacks/:id/outcome`: what the call gave, and a note (sealed). */
export const CallbackOutcomeSchema = v.object({
  outcome: v.picklist(CALLBACK_OUTCOMES, 'unknown outcome'),
  note: v.optional(text(CALLBACK_LIMITS.noteMaxChars), ''),
});
export type CallbackOutcomeInput = v.InferOutput<typeof CallbackOutcomeSchema>;
