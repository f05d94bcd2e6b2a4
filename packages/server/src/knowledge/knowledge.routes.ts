import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import * as v from 'valibot';
import {
  KB_LIMITS,
  type KbArticleListResponse,
  type KbArticleResponse,
  type KbCardListResponse,
  type KbPreviewResponse,
  type KbPublicArticleResponse,
  type KbSearchMissListResponse,
  type KbSearchResponse,
  type KbSourceChangesResponse,
  type KbVersionListResponse,
} from '@direturn/protocol';
import {
  KbArticleInputSchema,
  KbArticleQuerySchema,
  KbArticleUpdateSchema,
  KbListQuerySchema,
  KbPreviewSchema,
  KbSearchQuerySchema,
  KbTranslationInputSchema,
  languageSchema,
} from '@direturn/protocol/schemas';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AuthService } from '../auth/auth.service.js';
import { errorResponse, rateLimitedResponse } from '../http/errors.js';
import type { AppEnv } from '../http/types.js';
import { readJson, validate } from '../http/validate.js';
import { canEditKnowledge, canLookUpKnowledge } from './knowledge.policy.js';
import type { KnowledgeService } from './knowledge.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not an article id')) });
const IdLangParam = v.object({ id: v.pipe(v.string(), v.uuid('not an article id')), lang: languageSchema });
const SlugParam = v.object({ slug: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,80}$/, 'not an article slug')) });

const allow = (rule: (agent: AppEnv['Variables']['auth']['agent']) => boolean): MiddlewareHandler<AppEnv> => async (c, next) => {
  if (!rule(c.get('auth').agent)) return errorResponse(c, 'forbidden', 'Your role does not allow this.');
  await next();
};

/** The console's knowledge API: editors (and admins) write; counsellors look up published articles. */
export function knowledgeRoutes(auth: AuthService, knowledge: KnowledgeService) {
  const app = new Hono<AppEnv>();
  app.use('/knowledge/*', requireAgent(auth));
  const edit = allow(canEditKnowledge);

  // Counsellors: the published text a visitor would read (searches here are not counted as misses).
  app.get('/knowledge/lookup', allow(canLookUpKnowledge), async (c) => {
    const { q, lang } = validate(KbSearchQuerySchema, c.req.query());
    return c.json((await knowledge.search(q, lang)) satisfies KbSearchResponse);
  });

  app.use('/knowledge/articles', edit);
  app.use('/knowledge/articles/*', edit);
  app.use('/knowledge/preview', edit);
  app.use('/knowledge/misses', edit);

  app.get('/knowledge/articles', async (c) => c.json({ articles: await knowledge.list() } satisfies KbArticleListResponse));
  app.post('/knowledge/articles', async (c) => {
    const article = await knowledge.create(await readJson(c, KbArticleInputSchema), c.get('auth').agent);
    return c.json({ article } satisfies KbArticleResponse, 201);
  });
  app.get('/knowledge/articles/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ article: await knowledge.get(id) } satisfies KbArticleResponse);
  });
  app.patch('/knowledge/articles/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ article: await knowledge.update(id, await readJson(c, KbArticleUpdateSchema), c.get('auth').agent) } satisfies KbArticleResponse);
  });
  app.delete('/knowledge/articles/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    await knowledge.remove(id, c.get('auth').agent);
    return c.body(null, 204);
  });
  app.put('/knowledge/articles/:id/translations/:lang', async (c) => {
    const { id, lang } = validate(IdLangParam, c.req.param());
    await knowledge.saveTranslation(id, lang, await readJson(c, KbTranslationInputSchema, KB_LIMITS.httpBodyMaxBytes), c.get('auth').agent);
    return c.json({ article: await knowledge.get(id) } satisfies KbArticleResponse);
  });
  app.post('/knowledge/articles/:id/translations/:lang/publish', async (c) => {
    const { id, lang } = validate(IdLangParam, c.req.param());
    await knowledge.publish(id, lang, c.get('auth').agent);
    return c.json({ article: await knowledge.get(id) } satisfies KbArticleResponse);
  });
  app.post('/knowledge/articles/:id/translations/:lang/unpublish', async (c) => {
    const { id, lang } = validate(IdLangParam, c.req.param());
    await knowledge.unpublish(id, lang, c.get('auth').agent);
    return c.json({ article: await knowledge.get(id) } satisfies KbArticleResponse);
  });
  app.get('/knowledge/articles/:id/translations/:lang/versions', async (c) => {
    const { id, lang } = validate(IdLangParam, c.req.param());
    return c.json({ versions: await knowledge.versions(id, lang) } satisfies KbVersionListResponse);
  });
  app.get('/knowledge/articles/:id/translations/:lang/source-changes', async (c) => {
    const { id, lang } = validate(IdLangParam, c.req.param());
    return c.json({ changes: await knowledge.sourceChanges(id, lang) } satisfies KbSourceChangesResponse);
  });
  app.post('/knowledge/preview', async (c) => {
    const { body } = await readJson(c, KbPreviewSchema, KB_LIMITS.httpBodyMaxBytes);
    return c.json({ html: knowledge.preview(body) } satisfies KbPreviewResponse);
  });
  app.get('/knowledge/misses', async (c) => c.json({ misses: await knowledge.misses() } satisfies KbSearchMissListResponse));
  return app;
}

/**
 * What the widget reads (no login; published text only). The chat frame runs on DiReturn's origin,
 * so these are same-origin requests. Searches without hits are counted (language + normalised query).
 */
/** Searches per client (salted address key): ms to wait, 0 when allowed. */
export type SearchLimit = (c: Context) => Promise<number>;

/** A search reads many rows: per client at most SEARCHES_PER_MINUTE (a burst of half that). */
export const SEARCHES_PER_MINUTE = 60;

export function infoApiRoutes(knowledge: KnowledgeService, searchLimit?: SearchLimit) {
  const app = new Hono();
  // Public text, no secrets in these responses (nothing for BREACH to find): compressed.
  app.use('/info/*', compress());
  app.use('/info/*', async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'public, max-age=60');
  });
  app.get('/info/articles', async (c) => {
    const { lang, topic } = validate(KbListQuerySchema, c.req.query());
    return c.json({ articles: await knowledge.cards(lang, topic) } satisfies KbCardListResponse);
  });
  app.get('/info/articles/:slug', async (c) => {
    const { slug } = validate(SlugParam, c.req.param());
    const { lang } = validate(KbArticleQuerySchema, c.req.query());
    return c.json({ article: await knowledge.read(slug, lang) } satisfies KbPublicArticleResponse);
  });
  app.get('/info/search', async (c) => {
    const { q, lang } = validate(KbSearchQuerySchema, c.req.query());
    const wait = (await searchLimit?.(c)) ?? 0;
    if (wait > 0) return rateLimitedResponse(c, 'Too many searches. Please wait a moment.', wait);
    const result = await knowledge.search(q, lang, { countMiss: true });
    c.header('Cache-Control', 'no-store');
    return c.json(result satisfies KbSearchResponse);
  });
  return app;
}
