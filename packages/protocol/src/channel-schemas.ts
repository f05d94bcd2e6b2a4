/** Schemas of channel-account requests (re-exported by schemas.ts). */
import * as v from 'valibot';
import { CHANNEL_KINDS, type ChannelKind } from './channels.js';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';

const name = v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'), v.maxLength(100, 'must be at most 100 characters'));
const fieldName = v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'not a field name'));
/** Field values; what each kind accepts is checked by the server against CHANNEL_FIELDS. */
const fields = v.pipe(
  v.record(fieldName, v.pipe(v.string(), v.maxLength(4096, 'must be at most 4096 characters'))),
  v.check((r) => Object.keys(r).length <= 20, 'at most 20 fields'),
);

/** `POST /api/channels` (admins). */
export const ChannelAccountCreateSchema = v.object({
  kind: v.picklist(CHANNEL_KINDS as unknown as [ChannelKind, ...ChannelKind[]], 'unknown channel kind'),
  name,
  siteId: v.pipe(v.string(), v.uuid('not a site id')),
  settings: v.optional(fields, {}),
  secrets: fields,
});

/** `PATCH /api/channels/:id` (admins): given secrets replace stored ones of that name; empty ones are kept. */
export const ChannelAccountUpdateSchema = v.object({
  name: v.optional(name),
  siteId: v.optional(v.pipe(v.string(), v.uuid('not a site id'))),
  settings: v.optional(fields),
  secrets: v.optional(fields),
});

/** `PUT /api/conversations/:id/language`: a counsellor corrects a conversation's language. */
export const ConversationLanguageSchema = v.object({
  language: v.picklist(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], 'unsupported language'),
});
