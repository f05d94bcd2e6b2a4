/**
 * Schemas for everything a client sends. The server validates every frame and request body with
 * these at its edge; clients import only the inferred types, so valibot stays out of their bundles.
 */
import * as v from 'valibot';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { LIMITS } from './limits.js';
import { VisitorReferralSchema } from './referral-schemas.js';
import { KB_LIMITS, KB_TOPICS, type KbTopic } from './knowledge.js';
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
export const languageSchema = v.picklist(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], 'unsupported language');
const origin = v.pipe(v.string(), v.maxLength(256), v.regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like https://example.org'));

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
]);
export type VisitorFrame = v.InferOutput<typeof VisitorFrameSchema>;
export type VisitorHello = v.InferOutput<typeof VisitorHelloSchema>;

// ---- agent socket: console -> server ----
export const AgentSendSchema = v.object({ type: v.literal('send'), conversationId: id, clientId, body });
export const AgentTypingSchema = v.object({ type: v.literal('typing'), conversationId: id, active: v.boolean() });
export const AgentReadSchema = v.object({ type: v.literal('read'), conversationId: id, seq });
export const AgentSyncSchema = v.object({ type: v.literal('sync'), conversationId: id, afterSeq: seq });

export const AgentFrameSchema = v.variant('type', [AgentSendSchema, AgentTypingSchema, AgentReadSchema, AgentSyncSchema, PingSchema]);
export type AgentFrame = v.InferOutput<typeof AgentFrameSchema>;

// ---- REST bodies ----
export const LoginRequestSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an e-mail address'), v.maxLength(254)),
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

export const SiteInputSchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200)),
  allowedOrigins: v.pipe(v.array(origin), v.minLength(1, 'at least one allowed origin')),
  defaultLanguage: v.optional(languageSchema, 'de'),
  startView: v.optional(v.picklist(['home', 'chat'] as const), 'home'),
});
export type SiteInput = v.InferOutput<typeof SiteInputSchema>;

/** A federal state by its two-digit key (01 Schleswig-Holstein … 16 Thüringen). */
export const regionSchema = v.picklist(FEDERAL_STATE_KEYS as [string, ...string[]], 'not a federal state key');

export const AgentInputSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an e-mail address'), v.maxLength(254)),
  name: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(100)),
  password: v.pipe(v.string(), v.minLength(12, 'must be at least 12 characters'), v.maxLength(1024)),
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

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** Validates `input`, returning readable issues ("body: must not be empty") instead of throwing. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    issues: result.issues.slice(0, 5).map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}

export * from './office-schemas.js';
export * from './referral-schemas.js';
export * from './orientation-schemas.js';
