/** Schemas of referral requests and the visitor's referral frame (re-exported by schemas.ts). */
import * as v from 'valibot';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { REFERRAL_OUTCOMES } from './referrals.js';

const field = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`));

export const ReferralSummarySchema = v.object({
  language: v.picklist(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], 'unsupported language'),
  countryOfReturn: field(100),
  situation: v.pipe(field(2000), v.nonEmpty('describe the situation in a few words')),
  needs: field(2000),
  discussed: field(2000),
});

/** `POST /api/referrals`: the counsellor proposes an office to the visitor of a conversation they have taken. */
export const ReferralCreateSchema = v.object({
  conversationId: v.pipe(v.string(), v.uuid('not a conversation id')),
  officeId: v.pipe(v.string(), v.uuid('not an office id')),
  summary: ReferralSummarySchema,
  /** The district the lookup found (statistics), if any. */
  districtKey: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^\d{5}$/, 'must be a district key of five digits'))), null),
});
export type ReferralCreate = v.InferOutput<typeof ReferralCreateSchema>;

export const ReferralListQuerySchema = v.object({
  /** `open`: not finished; `action`: the counsellor has to act; `all`. */
  filter: v.optional(v.picklist(['open', 'action', 'all'] as const, 'must be open, action or all'), 'open'),
  /** Only the referrals of this conversation (every status). */
  conversationId: v.optional(v.pipe(v.string(), v.uuid('not a conversation id'))),
});

const contact = v.variant('kind', [
  v.object({ kind: v.literal('phone'), value: v.pipe(v.string(), v.trim(), v.regex(/^\+?[\d\s()/.-]{5,30}$/, 'must be a phone number')) }),
  v.object({ kind: v.literal('email'), value: v.pipe(v.string(), v.trim(), v.maxLength(254), v.email('must be an e-mail address')) }),
]);

/** Visitor socket: the answer to a proposed referral, or taking back a consent. */
export const VisitorReferralSchema = v.variant('answer', [
  v.object({
    type: v.literal('referral'),
    referralId: v.pipe(v.string(), v.uuid()),
    answer: v.literal('consent'),
    /** Shared with the office only, stored sealed for this referral, deleted with it. */
    contact: v.optional(v.nullable(contact), null),
    includeTranscript: v.optional(v.boolean(), false),
  }),
  v.object({ type: v.literal('referral'), referralId: v.pipe(v.string(), v.uuid()), answer: v.literal('decline') }),
  v.object({ type: v.literal('referral'), referralId: v.pipe(v.string(), v.uuid()), answer: v.literal('withdraw') }),
]);
export type VisitorReferralFrame = v.InferOutput<typeof VisitorReferralSchema>;

/** The office's form posts (server-rendered page): the form token and, for outcomes, which one. */
export const OfficeConfirmFormSchema = v.object({ form: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,128}$/)) });
export const OfficeOutcomeFormSchema = v.object({
  form: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,128}$/)),
  outcome: v.picklist(REFERRAL_OUTCOMES),
});
