import { diffWords } from 'diff';
import {
  KB_LIMITS,
  LANGUAGE_CODES,
  matchLanguage,
  type AgentDto,
  type ArticleContextDto,
  type KbArticleCardDto,
  type KbArticleDto,
  type KbArticleListItemDto,
  type KbExchangeFile,
  type KbTopic,
  type KbPublicArticleDto,
  type KbSearchHitDto,
  type KbSearchMissDto,
  type KbSourceChangesDto,
  type KbTranslationDto,
  type KbVersionDto,
  type LanguageCode,
} from '@direturn/protocol';
import type { KbArticleInput, KbArticleUpdate, KbTranslationInput } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  countMiss,
  deleteArticle,
  deleteMissesBefore,
  deleteSearchRow,
  findArticle,
  findArticleBySlug,
  findTranslation,
  findVersion,
  insertArticle,
  insertTranslation,
  insertVersion,
  listArticles,
  listMisses,
  listTranslationsWithLatest,
  listVersions,
  publishedOf,
  publishedTexts,
  pruneSearchWords,
  replaceSearchRow,
  representativeRows,
  searchRows,
  updateArticle,
  updateTranslation,
  type TranslationWithLatest,
} from './knowledge.repository.js';
import { canEditKnowledge } from './knowledge.policy.js';
import { toArticleMeta, toCard, toPublicArticle, toTranslationDto, translationState } from './knowledge.presenter.js';
import type { KbArticleRow, KbVersionRow } from './knowledge.table.js';
import { markdownToText, renderMarkdown } from './markdown.js';
import { normalise, queryTokens, searchText } from './normalise.js';
import { snippet } from './search.js';

/**
 * The languages a visitor is shown an article in, best first: their own, then English, then
 * German (the languages every article is written in first). The widget and the public pages say
 * when the text is not in the visitor's language.
 */
export function languageOrder(lang: LanguageCode): LanguageCode[] {
  return [...new Set<LanguageCode>([lang, 'en', 'de'])];
}

const SEARCH_HITS = 20;
const MISS_QUERY_MAX = 100;

type Editor = Pick<AgentDto, 'id' | 'role'> | null;

/** Articles, translations and their versions; what visitors, counsellors and editors read of them. */
export class KnowledgeService {
  constructor(
    private readonly db: Db,
    private readonly audit?: AuditService,
  ) {}

  private mustEdit(by: Editor): void {
    if (by && !canEditKnowledge(by)) throw new DomainError('forbidden', 'Only editors and admins change the knowledge base.');
  }

  private async article(id: string): Promise<KbArticleRow> {
    const a = await findArticle(this.db, id);
    if (!a) throw new DomainError('not_found', 'Article not found.');
    return a;
  }

  // ---- editors ----

  async list(): Promise<KbArticleListItemDto[]> {
    const [articles, translations] = await Promise.all([listArticles(this.db), listTranslationsWithLatest(this.db)]);
    const byArticle = new Map<string, TranslationWithLatest[]>();
    for (const t of translations) (byArticle.get(t.article_id) ?? byArticle.set(t.article_id, []).get(t.article_id)!).push(t);
    return articles.map((a) => {
      const ts = byArticle.get(a.id) ?? [];
      const dtos = this.translationDtos(a, ts);
      const title = dtos.find((t) => t.language === a.source_language)?.title ?? dtos[0]?.title ?? a.slug;
      return { ...toArticleMeta(a), title, translations: dtos.map(({ title: _t, summary: _s, body: _b, sourceVersion: _v, ...status }) => status) };
    });
  }

  private translationDtos(a: KbArticleRow, ts: TranslationWithLatest[]): KbTranslationDto[] {
    const source = ts.find((t) => t.language === a.source_language);
    const latestMajor = source?.latest_major === null || source?.latest_major === undefined ? null : Number(source.latest_major);
    return ts.map((t) => toTranslationDto(t, translationState(t, a.source_language, latestMajor)));
  }

  async get(id: string): Promise<KbArticleDto> {
    const a = await this.article(id);
    return { ...toArticleMeta(a), translations: this.translationDtos(a, await listTranslationsWithLatest(this.db, id)) };
  }

  async create(input: KbArticleInput & { example?: boolean }, by: Editor): Promise<KbArticleDto> {
    this.mustEdit(by);
    if (await findArticleBySlug(this.db, input.slug)) throw new DomainError('bad_request', 'An article with this slug exists already.', ['slug: taken']);
    const now = Date.now();
    const row: KbArticleRow = {
      id: newId(),
      slug: input.slug,
      topic: input.topic,
      countries: JSON.stringify(input.countries),
      sources: JSON.stringify(input.sources),
      source_language: input.sourceLanguage,
      example: input.example ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await insertArticle(this.db, row);
    if (by) await this.audit?.record({ agentId: by.id, action: 'knowledge.article_created', details: { articleId: row.id, slug: row.slug } });
    return this.get(row.id);
  }

  async update(id: string, changes: KbArticleUpdate, by: Editor): Promise<KbArticleDto> {
    this.mustEdit(by);
    const a = await this.article(id);
    if (changes.slug && changes.slug !== a.slug && (await findArticleBySlug(this.db, changes.slug))) {
      throw new DomainError('bad_request', 'An article with this slug exists already.', ['slug: taken']);
    }
    const set: Partial<KbArticleRow> = { updated_at: Date.now() };
    if (changes.slug !== undefined) set.slug = changes.slug;
    if (changes.topic !== undefined) set.topic = changes.topic;
    if (changes.countries !== undefined) set.countries = JSON.stringify(changes.countries);
    if (changes.sources !== undefined) set.sources = JSON.stringify(changes.sources);
    if (changes.sourceLanguage !== undefined) set.source_language = changes.sourceLanguage;
    await updateArticle(this.db, id, set);
    if (by) await this.audit?.record({ agentId: by.id, action: 'knowledge.article_updated', details: { articleId: id } });
    return this.get(id);
  }

  async remove(id: string, by: Editor): Promise<void> {
    this.mustEdit(by);
    if (!(await deleteArticle(this.db, id))) throw new DomainError('not_found', 'Article not found.');
    if (by) await this.audit?.record({ agentId: by.id, action: 'knowledge.article_deleted', details: { articleId: id } });
  }

  /**
   * Saves a new version of one language. For a translation, `minor` means "not brought up to date
   * with the source" (a typo): it keeps the source version it had; a major save records the
   * source's current version. For the source language, a major save makes the others outdated.
   */
  async saveTranslation(articleId: string, language: LanguageCode, input: KbTranslationInput, by: Editor, opts: { now?: number } = {}): Promise<KbTranslationDto> {
    this.mustEdit(by);
    const a = await this.article(articleId);
    const now = opts.now ?? Date.now();
    const html = renderMarkdown(input.body);
    const text = markdownToText(input.body);
    await this.db.transaction().execute(async (trx) => {
      const existing = await findTranslation(trx, articleId, language);
      const isSource = language === a.source_language;
      let sourceVersion: number | null = null;
      if (!isSource) {
        const source = await findTranslation(trx, articleId, a.source_language);
        const previous = existing ? await findVersion(trx, existing.id, Number(existing.version)) : undefined;
        sourceVersion = input.minor && previous ? (previous.source_version === null ? null : Number(previous.source_version)) : source ? Number(source.version) : null;
      }
      const version = existing ? Number(existing.version) + 1 : 1;
      const translationId = existing?.id ?? newId();
      if (existing) {
        await updateTranslation(trx, existing.id, { version, status: input.status, updated_at: now });
      } else {
        await insertTranslation(trx, {
          id: translationId,
          article_id: articleId,
          language,
          version,
          status: input.status,
          published_version: null,
          published_at: null,
          last_reviewed_at: null,
          updated_at: now,
        });
      }
      const v: KbVersionRow = {
        id: newId(),
        translation_id: translationId,
        version,
        title: input.title,
        summary: input.summary,
        body: input.body,
        html,
        text,
        // The first version of a language is never minor: it is what others translate.
        minor: input.minor && version > 1 ? 1 : 0,
        source_version: sourceVersion,
        agent_id: by?.id ?? null,
        created_at: now,
      };
      await insertVersion(trx, v);
      await updateArticle(trx, articleId, { updated_at: now });
    });
    if (by) await this.audit?.record({ agentId: by.id, action: 'knowledge.translation_saved', details: { articleId, language, minor: input.minor } });
    return this.translation(a, language);
  }

  private async translation(a: KbArticleRow, language: string): Promise<KbTranslationDto> {
    const found = (await this.get(a.id)).translations.find((t) => t.language === language);
    if (!found) throw new DomainError('not_found', 'This article has no text in that language yet.');
    return found;
  }

  /** Publishes the latest version of one language: from now on visitors read it and search finds it. */
  async publish(articleId: string, language: LanguageCode, by: Editor, opts: { now?: number; reviewedAt?: number | null } = {}): Promise<KbTranslationDto> {
    this.mustEdit(by);
    const a = await this.article(articleId);
    const now = opts.now ?? Date.now();
    await this.db.transaction().execute(async (trx) => {
      const t = await findTranslation(trx, articleId, language);
      if (!t) throw new DomainError('not_found', 'This article has no text in that language yet.');
      const v = (await findVersion(trx, t.id, Number(t.version)))!;
      await updateTranslation(trx, t.id, {
        status: 'published',
        published_version: Number(t.version),
        published_at: now,
        last_reviewed_at: opts.reviewedAt === undefined ? now : opts.reviewedAt,
      });
      await replaceSearchRow(trx, {
        translation_id: t.id,
        article_id: articleId,
        language,
        title_text: normalise(v.title),
        summary_text: normalise(v.summary),
        search_text: searchText(v.title, v.summary, v.text),
      });
    });
    if (by) await this.audit?.record({ agentId: by.id, action: 'knowledge.published', details: { articleId, language } });
    return this.translation(a, language);
  }

  /** Takes one language off the widget and the public pages (the versions stay). */
  async unpublish(articleId: string, language: LanguageCode, by: Editor): Promise<KbTranslationDto> {
    this.mustEdit(by);
    const a = await this.article(articleId);
    await this.db.transaction().execute(async (trx) => {
      const t = await findTranslation(trx, articleId, language);
      if (!t) throw new DomainError('not_found', 'This article has no text in that language yet.');
      await updateTranslation(trx, t.id, { status: t.status === 'published' ? 'review' : t.status, published_version: null, published_at: null });
      await deleteSearchRow(trx, t.id);
    });
    if (by) await this.audit?.record({ agentId: by.id, action: 'knowledge.unpublished', details: { articleId, language } });
    return this.translation(a, language);
  }

  async versions(articleId: string, language: LanguageCode): Promise<KbVersionDto[]> {
    await this.article(articleId);
    const t = await findTranslation(this.db, articleId, language);
    if (!t) return [];
    return (await listVersions(this.db, t.id)).map((v) => ({
      version: Number(v.version),
      title: v.title,
      summary: v.summary,
      body: v.body,
      minor: Number(v.minor) === 1,
      sourceVersion: v.source_version === null ? null : Number(v.source_version),
      agentName: v.agent_name,
      createdAt: Number(v.created_at),
    }));
  }

  /** What changed in the source language since this translation was last brought up to date. */
  async sourceChanges(articleId: string, language: LanguageCode): Promise<KbSourceChangesDto> {
    const a = await this.article(articleId);
    const source = await findTranslation(this.db, articleId, a.source_language);
    if (!source) throw new DomainError('not_found', 'The source language has no text yet.');
    const t = language === a.source_language ? undefined : await findTranslation(this.db, articleId, language);
    const latest = t ? await findVersion(this.db, t.id, Number(t.version)) : undefined;
    const from = latest?.source_version === null || latest?.source_version === undefined ? null : Number(latest.source_version);
    const old = from ? await findVersion(this.db, source.id, from) : undefined;
    const now = (await findVersion(this.db, source.id, Number(source.version)))!;
    const diff = (x: string, y: string) => diffWords(x, y).map((p) => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) }));
    return {
      sourceLanguage: matchLanguage(a.source_language) ?? 'de',
      fromVersion: from,
      toVersion: Number(source.version),
      title: diff(old?.title ?? '', now.title),
      summary: diff(old?.summary ?? '', now.summary),
      body: diff(old?.body ?? '', now.body),
    };
  }

  preview(body: string): string {
    return renderMarkdown(body);
  }

  async misses(limit = 200): Promise<KbSearchMissDto[]> {
    return (await listMisses(this.db, limit)).map((m) => ({ language: matchLanguage(m.language) ?? 'de', query: m.query, count: Number(m.count), lastAt: Number(m.last_at) }));
  }

  /** Retention: forget searches without hits that nobody repeated since `cutoff`. */
  pruneMisses(cutoff: number): Promise<number> {
    return deleteMissesBefore(this.db, cutoff);
  }

  /** Forgets search words no published text has any more (PostgreSQL's word index; the retention job runs it). */
  pruneSearchWords(): Promise<number> {
    return pruneSearchWords(this.db);
  }

  // ---- visitors (published text only) ----

  /** Every article a visitor can read, in their language or marked as fallback. */
  async cards(lang: LanguageCode, topic?: KbTopic): Promise<KbArticleCardDto[]> {
    const reps = await representativeRows(this.db, languageOrder(lang));
    const chosen = new Set(reps.map((r) => r.translation_id));
    const rows = await publishedOf(this.db, { languages: languageOrder(lang), ...(topic ? { topic } : {}) });
    return rows.filter((r) => chosen.has(r.translation_id)).map((r) => toCard(r, lang));
  }

  /** One article for a visitor: in their language if published, else the fallback (marked). */
  async read(slug: string, lang: LanguageCode): Promise<KbPublicArticleDto> {
    const a = await findArticleBySlug(this.db, slug);
    if (!a) throw new DomainError('not_found', 'Article not found.');
    const rows = await publishedOf(this.db, { articleId: a.id });
    const languages = LANGUAGE_CODES.filter((l) => rows.some((r) => r.language === l));
    const row = languageOrder(lang).map((l) => rows.find((r) => r.language === l)).find(Boolean);
    if (!row) throw new DomainError('not_found', 'Article not found.');
    return toPublicArticle(row, lang, languages);
  }

  /** Every published translation (sitemap, language indexes). */
  async allPublished(): Promise<Array<{ slug: string; language: LanguageCode; publishedAt: number; languages: LanguageCode[] }>> {
    const rows = await publishedOf(this.db, {});
    const langsOf = new Map<string, LanguageCode[]>();
    for (const r of rows) (langsOf.get(r.slug) ?? langsOf.set(r.slug, []).get(r.slug)!).push(matchLanguage(r.language) ?? 'de');
    return rows.map((r) => ({ slug: r.slug, language: matchLanguage(r.language) ?? 'de', publishedAt: Number(r.published_at ?? 0), languages: langsOf.get(r.slug)! }));
  }

  /**
   * Full-text search over the published text a visitor would read (their language, else the
   * fallback). Ranked and with highlighted snippets. `countMiss`: a search without hits is counted
   * for editors (normalised query and language; nothing about the visitor).
   */
  async search(query: string, lang: LanguageCode, opts: { countMiss?: boolean } = {}): Promise<{ hits: KbSearchHitDto[]; total: number }> {
    const tokens = queryTokens(query.slice(0, KB_LIMITS.queryMaxChars));
    if (tokens.length === 0) return { hits: [], total: 0 };
    const ranked = await searchRows(this.db, languageOrder(lang), tokens, SEARCH_HITS);
    if (ranked.length === 0) {
      const normalised = tokens.join(' ').slice(0, MISS_QUERY_MAX);
      if (opts.countMiss) await countMiss(this.db, lang, normalised, Date.now());
      return { hits: [], total: 0 };
    }
    const texts = await publishedTexts(this.db, ranked.map((r) => r.translation_id));
    const byTranslation = new Map(texts.map((t) => [t.translation_id, t]));
    const hits: KbSearchHitDto[] = [];
    for (const r of ranked) {
      const t = byTranslation.get(r.translation_id);
      if (!t) continue; // unpublished meanwhile
      const inSummary = snippet(t.summary, tokens);
      const parts = inSummary.some((p) => p.hit) ? inSummary : snippet(t.text, tokens);
      hits.push({ ...toCard(t, lang), snippet: parts });
    }
    return { hits, total: Number(ranked[0]!.total) };
  }

  /** The context a visitor's message carries: only an article published in that language (else its fallback). */
  async contextFor(input: { articleId: string; language: LanguageCode }): Promise<ArticleContextDto | undefined> {
    const rows = await publishedOf(this.db, { articleId: input.articleId });
    const row = languageOrder(input.language).map((l) => rows.find((r) => r.language === l)).find(Boolean);
    if (!row) return undefined;
    return { kind: 'article', articleId: row.article_id, language: matchLanguage(row.language) ?? 'de', slug: row.slug, title: row.title };
  }

  // ---- moving articles between installations ----

  async exportAll(): Promise<KbExchangeFile> {
    const articles = await listArticles(this.db);
    const translations = await listTranslationsWithLatest(this.db);
    return {
      format: 'direturn-knowledge',
      version: 1,
      articles: articles.map((a) => ({
        slug: a.slug,
        topic: a.topic,
        countries: JSON.parse(a.countries) as KbExchangeFile['articles'][number]['countries'],
        sources: JSON.parse(a.sources) as KbExchangeFile['articles'][number]['sources'],
        sourceLanguage: matchLanguage(a.source_language) ?? 'de',
        example: Number(a.example) === 1,
        translations: Object.fromEntries(
          translations
            .filter((t) => t.article_id === a.id)
            .map((t) => [t.language, { title: t.title, summary: t.summary, body: t.body, status: t.status, lastReviewedAt: t.last_reviewed_at === null ? null : Number(t.last_reviewed_at) }]),
        ),
      })),
    };
  }

  /**
   * Creates or updates articles by slug. A language whose text differs gets a new version (the
   * source first, so translations imported with it count as up to date). Published texts are
   * published; `publishAll` publishes every text (the demo).
   */
  async importAll(file: KbExchangeFile, opts: { by: Editor; publishAll?: boolean }): Promise<{ created: number; updated: number; versions: number }> {
    this.mustEdit(opts.by);
    let created = 0;
    let updated = 0;
    let versions = 0;
    for (const item of file.articles) {
      let a = await findArticleBySlug(this.db, item.slug);
      if (!a) {
        await this.create({ slug: item.slug, topic: item.topic, countries: item.countries, sources: item.sources, sourceLanguage: item.sourceLanguage, example: item.example ?? false }, null);
        a = (await findArticleBySlug(this.db, item.slug))!;
        created++;
      } else {
        await this.update(a.id, { topic: item.topic, countries: item.countries, sources: item.sources, sourceLanguage: item.sourceLanguage }, null);
        updated++;
      }
      const current = new Map((await listTranslationsWithLatest(this.db, a.id)).map((t) => [t.language, t]));
      const languages = (Object.keys(item.translations) as LanguageCode[]).sort((x, y) => Number(y === item.sourceLanguage) - Number(x === item.sourceLanguage));
      for (const language of languages) {
        const t = item.translations[language]!;
        const have = current.get(language);
        const changed = !have || have.title !== t.title || have.summary !== t.summary || have.body !== t.body;
        if (changed) {
          await this.saveTranslation(a.id, language, { title: t.title, summary: t.summary, body: t.body, minor: false, status: t.status === 'published' ? 'review' : t.status }, opts.by);
          versions++;
        }
        if (t.status === 'published' || opts.publishAll) {
          const after = await findTranslation(this.db, a.id, language);
          if (after && Number(after.published_version ?? 0) !== Number(after.version)) await this.publish(a.id, language, opts.by, { reviewedAt: t.lastReviewedAt ?? null });
        }
      }
    }
    // The CLI imports without an agent: recorded all the same (agent null).
    await this.audit?.record({ agentId: opts.by?.id ?? null, action: 'knowledge.imported', details: { created, updated, versions } });
    return { created, updated, versions };
  }
}
