/**
 * Schemas for everything a client sends. The server validates every frame and request body with
 * these at its edge; clients import only the inferred types, so valibot stays out of their bundles.
 */
import * as v from 'valibot';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { LIMITS } from './limits.js';
import { VisitorReferralSchema } from './referral-schemas.js';
import { VisitorCallbackSchema } from './callback-schemas.js';
import { VisitorReplyNoticeOffSchema, VisitorReplyNoticeOnSchema } from './reply-notice-schemas.js';
import { AgentCallFrameSchemas, VisitorCallFrameSchemas } from './call-schemas.js';
import { KB_LIMITS, KB_TOPICS, type KbTopic } from './knowledge.js';
import { WEEKDAYS, type OpeningPeriod } from './sites.js';
import type { ValidationCode, ValidationIssue } from './validation.js';

/**
 * English messages of the codes that need more than valibot's issue type to be told apart: a
 * schema uses `MESSAGES.x`, and `parse` maps the message back to its code (see issueDetail).
 */
const MESSAGES = {
  invalid_email: 'must be an e-mail address',
  invalid_origin: 'must be an origin like https://example.org',
  invalid_language: 'unsupported language',
  invalid_time_zone: 'must be an IANA time zone like Europe/Berlin',
  invalid_time: 'must be a time of day like 08:30',
  hours_order: 'must end after it starts',
  hours_overlap: 'periods of one day must not overlap',
} as const satisfies Partial<Record<ValidationCode, string>>;
const CODE_OF_MESSAGE = new Map<string, ValidationCode>(Object.entries(MESSAGES).map(([code, message]) => [message, code as ValidationCode]));
import { CaseContextInputSchema } from './orientation-schemas.js';
import { FEDERAL_STATE_KEYS } from './orientation.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const clientId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -'));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
/** Unpaired surrogates cannot be stored as UTF-8: each becomes U+FFFD here, before anything else. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Characters that show nothing: white space, zero-width and other default-ignorable ones, the Braille blank. */
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}\u2800]/gu;
/**
 * A message body, normalised once at the edge (well-formed, NFC, trimmed) so that what is stored,
 * acknowledged and shown is the same text; a body of invisible characters only is no message.
 */
const body = v.pipe(
  v.string(),
  v.transform((s) => s.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC')),
  v.trim(),
  v.nonEmpty('must not be empty'),
  v.check((s) => s === '' || s.replace(INVISIBLE, '') !== '', 'must contain visible characters'),
  v.maxLength(LIMITS.messageMaxChars, `must be at most ${LIMITS.messageMaxChars} characters`),
);
/** The address of the partner page the chat was opened on: only web pages (no javascript:, data:, …). */
const pageUrl = v.pipe(
  v.string(),
  v.maxLength(LIMITS.pageUrlMaxChars),
  v.check((s) => {
    try {
      return /^https?:\/\//i.test(s) && ['http:', 'https:'].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) address'),
);
export const languageSchema = v.picklist(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], MESSAGES.invalid_language);
const origin = v.pipe(v.string(), v.maxLength(256), v.regex(/^https?:\/\/[^/\s]+$/, MESSAGES.invalid_origin));

// ---- visitor socket: widget frame -> server ----
export const VisitorHelloSchema = v.object({
  type: v.literal('hello'),
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  /** Origin of the partner page that embeds the widget. */
  origin,
  /** Secret from an earlier `welcome`; absent on the first visit. */
  token: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,128}$/, 'malformed token'))),
  language: languageSchema,
  pageUrl: v.optional(pageUrl),
  /** Highest seq the client already has; the welcome carries everything after it. */
  lastSeq: v.optional(seq),
  /**
   * A resume code typed on this device: when it is valid, the hello continues that visitor's
   * conversation (a new token; the old device's sockets close). Checked in full on the server.
   */
  resume: v.optional(v.pipe(v.string(), v.maxLength(32, 'not a resume code'))),
});
/** What the visitor was reading when they wrote (the server checks it and adds slug and title). */
/** Or the case summary of the orientation check ("send to a counsellor"). */
export const MessageContextInputSchema = v.variant('kind', [
  v.object({ kind: v.literal('article'), articleId: v.pipe(v.string(), v.uuid('not an article id')), language: languageSchema }),
  CaseContextInputSchema,
]);
export const VisitorSendSchema = v.object({ type: v.literal('send'), clientId, body, context: v.optional(MessageContextInputSchema) });
export const VisitorTypingSchema = v.object({ type: v.literal('typing'), active: v.boolean() });
export const VisitorReadSchema = v.object({ type: v.literal('read'), seq });
export const VisitorSyncSchema = v.object({ type: v.literal('sync'), afterSeq: seq });
export const VisitorLanguageSchema = v.object({ type: v.literal('language'), language: languageSchema });
export const PingSchema = v.object({ type: v.literal('ping') });
/** "Delete my data": the visitor's conversations, messages and identity are deleted; answered with `deleted`. */
export const VisitorDeleteSchema = v.object({ type: v.literal('delete') });
/** Asks for a new resume code (the previous one stops working); answered with `resume-code`. */
export const VisitorResumeCodeSchema = v.object({ type: v.literal('resume-code') });

export const VisitorFrameSchema = v.variant('type', [
  VisitorHelloSchema,
  VisitorSendSchema,
  VisitorTypingSchema,
  VisitorReadSchema,
  VisitorSyncSchema,
  VisitorLanguageSchema,
  PingSchema,
  VisitorDeleteSchema,
  VisitorReferralSchema,
  VisitorResumeCodeSchema,
  VisitorCallbackSchema,
  VisitorReplyNoticeOnSchema,
  VisitorReplyNoticeOffSchema,
  ...VisitorCallFrameSchemas,
]);
export type VisitorFrame = v.InferOutput<typeof VisitorFrameSchema>;
export type VisitorHello = v.InferOutput<typeof VisitorHelloSchema>;

// ---- agent socket: console -> server ----
export const AgentSendSchema = v.object({ type: v.literal('send'), conversationId: id, clientId, body });
export const AgentTypingSchema = v.object({ type: v.literal('typing'), conversationId: id, active: v.boolean() });
export const AgentReadSchema = v.object({ type: v.literal('read'), conversationId: id, seq });
export const AgentSyncSchema = v.object({ type: v.literal('sync'), conversationId: id, afterSeq: seq });

export const AgentFrameSchema = v.variant('type', [AgentSendSchema, AgentTypingSchema, AgentReadSchema, AgentSyncSchema, PingSchema, ...AgentCallFrameSchemas]);
export type AgentFrame = v.InferOutput<typeof AgentFrameSchema>;

// ---- REST bodies ----
export const LoginRequestSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(MESSAGES.invalid_email), v.maxLength(254)),
  password: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(1024)),
});
export type LoginRequest = v.InferOutput<typeof LoginRequestSchema>;

/** A 6-digit TOTP code or a recovery code (xxxxx-xxxxx). */
const secondFactor = v.pipe(v.string(), v.trim(), v.regex(/^(\d{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'must be a 6-digit code or a recovery code'));

export const LoginTotpRequestSchema = v.object({
  challenge: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,128}$/, 'malformed challenge')),
  code: secondFactor,
});
export type LoginTotpRequest = v.InferOutput<typeof LoginTotpRequestSchema>;

export const TotpEnableRequestSchema = v.object({ code: v.pipe(v.string(), v.trim(), v.regex(/^\d{6}$/, 'must be a 6-digit code')) });
export type TotpEnableRequest = v.InferOutput<typeof TotpEnableRequestSchema>;

export const TotpDisableRequestSchema = v.object({ password: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(1024)) });
export type TotpDisableRequest = v.InferOutput<typeof TotpDisableRequestSchema>;

export const ConversationListQuerySchema = v.object({
  status: v.optional(v.picklist(['waiting', 'mine', 'all'] as const), 'waiting'),
});
export type ConversationListQuery = v.InferOutput<typeof ConversationListQuerySchema>;

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const timeOfDay = v.pipe(v.string(), v.regex(TIME, MESSAGES.invalid_time));
/** Minutes since midnight; NaN for a malformed time (its own issue says so, the order checks then pass). */
const minutes = (t: string): number => (TIME.test(t) ? Number(t.slice(0, 2)) * 60 + Number(t.slice(3)) : NaN);
const openingPeriod = v.pipe(
  v.object({ from: timeOfDay, to: timeOfDay }),
  v.forward(v.check((p) => !(minutes(p.to) <= minutes(p.from)), MESSAGES.hours_order), ['to']),
);
const openingDay = v.pipe(
  v.array(openingPeriod),
  v.maxLength(6),
  v.check((periods: OpeningPeriod[]) => {
    const sorted = [...periods].sort((a, b) => minutes(a.from) - minutes(b.from));
    return sorted.every((p, i) => i === 0 || !(minutes(p.from) < minutes(sorted[i - 1]!.to)));
  }, MESSAGES.hours_overlap),
);
/** Weekly schedule; `null` = always open. */
export const OpeningHoursSchema = v.nullable(v.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, v.optional(openingDay)])) as Record<(typeof WEEKDAYS)[number], v.OptionalSchema<typeof openingDay, undefined>>));
const timeZone = v.pipe(
  v.string(),
  v.maxLength(64),
  v.check((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz.includes('/') || tz === 'UTC';
    } catch {
      return false;
    }
  }, MESSAGES.invalid_time_zone),
);
/** Away messages per language; an empty text removes the override (the built-in text applies). */
const awayMessages = v.pipe(
  v.record(languageSchema, v.pipe(v.string(), v.trim(), v.maxLength(1000))),
  v.transform((m) => Object.fromEntries(Object.entries(m).filter(([, text]) => text !== '')) as Partial<Record<LanguageCode, string>>),
);
/** An allowed origin as admins paste it: a trailing slash is dropped (the server keeps the origin only). */
const siteOrigin = v.pipe(v.string(), v.trim(), v.maxLength(256), v.regex(/^https?:\/\/[^/\s]+\/?$/, MESSAGES.invalid_origin), v.transform((o) => o.replace(/\/$/, '')));
const siteFields = {
  name: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200)),
  allowedOrigins: v.pipe(v.array(siteOrigin), v.minLength(1, 'at least one allowed origin'), v.maxLength(50)),
  defaultLanguage: languageSchema,
  startView: v.picklist(['home', 'chat'] as const),
  enabled: v.boolean(),
  timeZone,
  openingHours: OpeningHoursSchema,
  awayMessages,
};

export const SiteInputSchema = v.object({
  ...siteFields,
  defaultLanguage: v.optional(languageSchema, 'de'),
  startView: v.optional(siteFields.startView, 'home'),
  enabled: v.optional(v.boolean(), true),
  timeZone: v.optional(timeZone, 'Europe/Berlin'),
  openingHours: v.optional(OpeningHoursSchema, null),
  awayMessages: v.optional(awayMessages, {}),
});
export type SiteInput = v.InferOutput<typeof SiteInputSchema>;

/** `PATCH /api/sites/:id` (admin), `direturn sites edit`: only what is sent changes. */
export const SiteUpdateSchema = v.partial(v.object(siteFields));
export type SiteUpdate = v.InferOutput<typeof SiteUpdateSchema>;

/** `POST /api/me/password`: the current password proves it is the agent (counted like a login). */
export const PasswordChangeSchema = v.object({
  currentPassword: v.pipe(v.string(), v.nonEmpty(), v.maxLength(LIMITS.passwordMaxChars)),
  newPassword: v.pipe(v.string(), v.minLength(LIMITS.passwordMinChars), v.maxLength(LIMITS.passwordMaxChars)),
});
export type PasswordChange = v.InferOutput<typeof PasswordChangeSchema>;

/** A federal state by its two-digit key (01 Schleswig-Holstein … 16 Thüringen). */
export const regionSchema = v.picklist(FEDERAL_STATE_KEYS as [string, ...string[]], 'not a federal state key');

export const AgentInputSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(MESSAGES.invalid_email), v.maxLength(254)),
  name: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(LIMITS.passwordMinChars, `must be at least ${LIMITS.passwordMinChars} characters`), v.maxLength(LIMITS.passwordMaxChars)),
  role: v.optional(v.picklist(['admin', 'counsellor', 'editor'] as const), 'counsellor'),
  languages: v.optional(v.array(languageSchema), ['de']),
  regions: v.optional(v.pipe(v.array(regionSchema), v.maxLength(16))),
});
export type AgentInput = v.InferOutput<typeof AgentInputSchema>;

/** `PATCH /api/agents/:id` (admin). Disabling also ends every session of the agent. */
export const AgentUpdateSchema = v.object({
  name: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(100))),
  role: v.optional(v.picklist(['admin', 'counsellor', 'editor'] as const)),
  languages: v.optional(v.array(languageSchema)),
  /** Federal states (keys) the agent covers: orientation cases from there are listed first for them. */
  regions: v.optional(v.pipe(v.array(regionSchema), v.maxLength(16))),
  disabled: v.optional(v.boolean()),
});
export type AgentUpdate = v.InferOutput<typeof AgentUpdateSchema>;

/** `PATCH /api/me`: an agent changes the languages they counsel in (at least one). */
export const MeUpdateSchema = v.object({
  languages: v.pipe(v.array(languageSchema), v.minLength(1, 'at least one language'), v.maxLength(32)),
});
export type MeUpdate = v.InferOutput<typeof MeUpdateSchema>;

/** `PATCH /api/settings` (admin). */
export const SettingsUpdateSchema = v.object({
  retentionDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650))),
  requireTotp: v.optional(v.boolean()),
});
export type SettingsUpdate = v.InferOutput<typeof SettingsUpdateSchema>;

export const AuditQuerySchema = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(500)), '100'),
  /** Entries strictly older than this epoch-ms (paging). */
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number))),
  conversationId: v.optional(v.pipe(v.string(), v.uuid())),
});
export type AuditQuery = v.InferOutput<typeof AuditQuerySchema>;

const httpsUrl = v.pipe(v.string(), v.maxLength(2048), v.regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL'));

/** `PUT /api/privacy-notices` (admin): overrides the built-in notice for one site (or all: siteId null) and language. */
export const PrivacyOverrideSchema = v.object({
  siteId: v.nullable(v.pipe(v.string(), v.uuid())),
  language: languageSchema,
  text: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(4000)),
  links: v.optional(v.pipe(v.array(v.object({ label: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200)), url: httpsUrl })), v.maxLength(10)), []),
});
export type PrivacyOverride = v.InferOutput<typeof PrivacyOverrideSchema>;

export const PrivacyQuerySchema = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  lang: v.optional(languageSchema),
});

// ---- knowledge base ----
const kbText = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`));
const slug = v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens'), v.maxLength(KB_LIMITS.slugMaxChars));
const kbSources = v.pipe(
  v.array(v.object({ title: v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'), v.maxLength(300)), url: httpsUrl })),
  v.maxLength(KB_LIMITS.sourcesMax),
);
const kbCountries = v.union([
  v.literal('all'),
  v.pipe(v.array(v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'))), v.minLength(1, 'name at least one country, or "all"'), v.maxLength(250)),
]);
const topic = v.picklist(KB_TOPICS as unknown as [KbTopic, ...KbTopic[]], 'unknown topic');

export const KbArticleInputSchema = v.object({
  slug,
  topic,
  countries: v.optional(kbCountries, 'all'),
  sources: v.optional(kbSources, []),
  sourceLanguage: v.optional(languageSchema, 'de'),
});
export type KbArticleInput = v.InferOutput<typeof KbArticleInputSchema>;

export const KbArticleUpdateSchema = v.object({
  slug: v.optional(slug),
  topic: v.optional(topic),
  countries: v.optional(kbCountries),
  sources: v.optional(kbSources),
  sourceLanguage: v.optional(languageSchema),
});
export type KbArticleUpdate = v.InferOutput<typeof KbArticleUpdateSchema>;

/** `PUT …/translations/:lang`: a new version. `minor`: a small fix that other translations need not follow. */
export const KbTranslationInputSchema = v.object({
  title: v.pipe(kbText(KB_LIMITS.titleMaxChars), v.nonEmpty('must not be empty')),
  summary: kbText(KB_LIMITS.summaryMaxChars),
  body: v.pipe(v.string(), v.maxLength(KB_LIMITS.bodyMaxChars, `must be at most ${KB_LIMITS.bodyMaxChars} characters`)),
  minor: v.optional(v.boolean(), false),
  status: v.optional(v.picklist(['draft', 'review'] as const), 'draft'),
});
export type KbTranslationInput = v.InferOutput<typeof KbTranslationInputSchema>;

export const KbPreviewSchema = v.object({ body: v.pipe(v.string(), v.maxLength(KB_LIMITS.bodyMaxChars)) });

export const KbSearchQuerySchema = v.object({
  q: v.pipe(v.string(), v.maxLength(1000), v.transform((s) => s.slice(0, KB_LIMITS.queryMaxChars))),
  lang: languageSchema,
});
export const KbListQuerySchema = v.object({ lang: languageSchema, topic: v.optional(topic) });
export const KbArticleQuerySchema = v.object({ lang: languageSchema });

const kbStatus = v.picklist(['draft', 'review', 'published'] as const);
/** `direturn knowledge import`: the file `export` writes. */
export const KbExchangeSchema = v.object({
  format: v.literal('direturn-knowledge'),
  version: v.literal(1),
  articles: v.array(
    v.object({
      slug,
      topic,
      countries: kbCountries,
      sources: kbSources,
      sourceLanguage: languageSchema,
      example: v.optional(v.boolean(), false),
      translations: v.record(
        languageSchema,
        v.object({
          title: v.pipe(kbText(KB_LIMITS.titleMaxChars), v.nonEmpty('must not be empty')),
          summary: kbText(KB_LIMITS.summaryMaxChars),
          body: v.pipe(v.string(), v.maxLength(KB_LIMITS.bodyMaxChars)),
          status: kbStatus,
          lastReviewedAt: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
        }),
      ),
    }),
  ),
});

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string[]; details: ValidationIssue[] };

const numberRequirement = (r: unknown): number | undefined => (typeof r === 'number' ? r : undefined);

/** One valibot issue as a code the clients translate (its English message stays in `issues`). */
export function issueDetail(issue: v.BaseIssue<unknown>): ValidationIssue {
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  const byMessage = CODE_OF_MESSAGE.get(issue.message);
  if (byMessage) return { path, code: byMessage };
  const n = numberRequirement(issue.requirement);
  switch (issue.type) {
    case 'non_empty':
      return { path, code: 'required' };
    case 'min_length':
    case 'min_graphemes':
      return n === 1 ? { path, code: 'required' } : { path, code: 'too_short', params: { min: n ?? 0 } };
    case 'max_length':
    case 'max_graphemes':
      return { path, code: 'too_long', params: { max: n ?? 0 } };
    case 'min_value':
      return { path, code: 'too_small', params: { min: n ?? 0 } };
    case 'max_value':
      return { path, code: 'too_large', params: { max: n ?? 0 } };
    case 'email':
      return { path, code: 'invalid_email' };
    case 'picklist':
    case 'literal':
    case 'variant':
      return { path, code: 'invalid_choice' };
  }
  if (issue.kind === 'schema') return { path, code: issue.input === undefined ? 'required' : 'invalid_type' };
  return { path, code: 'invalid_format' };
}

/** Validates `input`, returning readable issues ("body: must not be empty") and their codes instead of throwing. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issues = result.issues.slice(0, 5);
  return {
    ok: false,
    issues: issues.map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
    details: issues.map(issueDetail),
  };
}

export * from './office-schemas.js';
export * from './referral-schemas.js';
export * from './conversation-work-schemas.js';
export * from './saved-reply-schemas.js';
export * from './orientation-schemas.js';
export * from './channel-schemas.js';
export * from './callback-schemas.js';
export * from './reply-notice-schemas.js';
export * from './reply-window-schemas.js';
export * from './call-schemas.js';
