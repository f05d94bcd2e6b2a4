/** Schemas of reply-window requests (re-exported by schemas.ts). */
import * as v from 'valibot';

/** `POST /api/conversations/:id/template`. */
export const ChannelTemplateSendSchema = v.object({
  clientId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')),
  name: v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,512}$/, 'not a template name')),
  language: v.pipe(v.string(), v.regex(/^[a-z]{2,3}(?:_[A-Z]{2,4})?$/, 'not a template language')),
});
