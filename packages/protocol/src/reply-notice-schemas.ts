/**
 * Schemas of reply-notice frames (re-exported by schemas.ts): the shape only. The address and the
 * consent are checked by `checkReplyNoticeRequest`, so each gets its own issue (`reply_notice_invalid`).
 */
import * as v from 'valibot';
import { REPLY_NOTICE_LIMITS } from './reply-notices.js';

/** Visitor socket: e-mail me when a reply waits. Answered with `reply-notice`, or an error `reply_notice_invalid`. */
export const VisitorReplyNoticeOnSchema = v.object({
  type: v.literal('reply-notice-on'),
  // Longer than an address may be, so a too long one is told as such by the check.
  email: v.pipe(v.string(), v.maxLength(REPLY_NOTICE_LIMITS.emailMaxChars * 2)),
  consent: v.boolean(),
});
export type VisitorReplyNoticeOnFrame = v.InferOutput<typeof VisitorReplyNoticeOnSchema>;

/** Visitor socket: remove my address. Answered with `reply-notice` (off). */
export const VisitorReplyNoticeOffSchema = v.object({ type: v.literal('reply-notice-off') });
