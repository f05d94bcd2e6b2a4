import { sql, type Expression, type SqlBool } from 'kysely';
import type { KbTopic } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { searchMatch } from '../db/text-search.js';
import type { KbArticleRow, KbArticleTable, KbTranslationRow, KbVersionRow } from './knowledge.table.js';

export { pruneSearchWords } from '../db/text-search.js';

// Only SQL. Published text is always read through kb_translations.published_version: a later
// draft or review version of the same translation can never be selected by these queries.

export const findArticle = (db: Db, id: string): Promise<KbArticleRow | undefined> => db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
export const findArticleBySlug = (db: Db, slug: string): Promise<KbArticleRow | undefined> =>
  db.selectFrom('kb_articles').selectAll().where('slug', '=', slug).executeTakeFirst();
export const listArticles = (db: Db): Promise<KbArticleRow[]> => db.selectFrom('kb_articles').selectAll().orderBy('topic').orderBy('slug').execute();
export async function insertArticle(db: Db, row: KbArticleRow): Promise<void> {
  await db.insertInto('kb_articles').values(row).execute();
}
export async function updateArticle(db: Db, id: string, set: Partial<Omit<KbArticleTable, 'id'>>): Promise<void> {
  await db.updateTable('kb_articles').set(set).where('id', '=', id).execute();
}
export async function deleteArticle(db: Db, id: string): Promise<boolean> {
  // kb_search rows go with their translations (foreign key), versions too.
  // the version changes in the transaction that changes kb_search (knowledge.table.ts)
  const work = async (trx: Db) => {
    const r = await trx.deleteFrom('kb_articles').where('id', '=', id).executeTakeFirst();
    await bumpSearchVersion(trx);
    return Number(r.numDeletedRows) > 0;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export const findTranslation = (db: Db, articleId: string, language: string): Promise<KbTranslationRow | undefined> =>
  db.selectFrom('kb_translations').selectAll().where('article_id', '=', articleId).where('language', '=', language).executeTakeFirst();

export async function insertTranslation(db: Db, row: KbTranslationRow): Promise<void> {
  await db.insertInto('kb_translations').values(row).execute();
}
export async function updateTranslation(db: Db, id: string, set: Partial<Omit<KbTranslationRow, 'id' | 'article_id' | 'language'>>): Promise<void> {
  await db.updateTable('kb_translations').set(set).where('id', '=', id).execute();
}
export async function insertVersion(db: Db, row: KbVersionRow): Promise<void> {
  await db.insertInto('kb_versions').values(row).execute();
}
export const findVersion = (db: Db, translationId: string, version: number): Promise<KbVersionRow | undefined> =>
  db.selectFrom('kb_versions').selectAll().where('translation_id', '=', translationId).where('version', '=', version).executeTakeFirst();

export const listVersions = (db: Db, translationId: string): Promise<Array<KbVersionRow & { agent_name: string | null }>> =>
  db
    .selectFrom('kb_versions as v')
    .leftJoin('agents as a', 'a.id', 'v.agent_id')
    .selectAll('v')
    .select('a.name as agent_name')
    .where('v.translation_id', '=', translationId)
    .orderBy('v.version', 'desc')
    .execute();

/** Every translation (of one article, or all) with its latest version's text and what the state needs. */
export function listTranslationsWithLatest(db: Db, articleId?: string) {
  let q = db
    .selectFrom('kb_translations as t')
    .innerJoin('kb_versions as v', (j) => j.onRef('v.translation_id', '=', 't.id').onRef('v.version', '=', 't.version'))
    .selectAll('t')
    .select(['v.title', 'v.summary', 'v.body', 'v.source_version'])
    .select((eb) =>
      eb
        .selectFrom('kb_versions as m')
        .select((e) => e.fn.max('m.version').as('n'))
        .whereRef('m.translation_id', '=', 't.id')
        .where('m.minor', '=', 0)
        .as('latest_major'),
    );
  if (articleId) q = q.where('t.article_id', '=', articleId);
  return q.orderBy('t.article_id').orderBy('t.language').execute();
}
export type TranslationWithLatest = Awaited<ReturnType<typeof listTranslationsWithLatest>>[number];

/** The search row of a published translation: replaced on every publish, removed on unpublish. */
export async function replaceSearchRow(
  db: Db,
  row: { translation_id: string; article_id: string; language: string; title_text: string; summary_text: string; search_text: string },
): Promise<void> {
  await db.deleteFrom('kb_search').where('translation_id', '=', row.translation_id).execute();
  await db.insertInto('kb_search').values(row).execute();
  await bumpSearchVersion(db);
}
export async function deleteSearchRow(db: Db, translationId: string): Promise<void> {
  await db.deleteFrom('kb_search').where('translation_id', '=', translationId).execute();
  await bumpSearchVersion(db);
}

/** In the transaction that changed kb_search: what was derived from it before is stale now. */
async function bumpSearchVersion(db: Db): Promise<void> {
  await db
    .insertInto('kb_search_state')
    .values({ id: 1, version: 1 })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ version: eb('kb_search_state.version', '+', 1) })))
    .execute();
}
const searchVersion = async (db: Db): Promise<number> => Number((await db.selectFrom('kb_search_state').select('version').where('id', '=', 1).executeTakeFirst())?.version ?? 0);

/** The published title, summary and plain text of these translations (search hits and their snippets). */
export function publishedTexts(db: Db, translationIds: readonly string[]) {
  return db
    .selectFrom('kb_translations as t')
    .innerJoin('kb_articles as a', 'a.id', 't.article_id')
    .innerJoin('kb_versions as v', (j) => j.onRef('v.translation_id', '=', 't.id').onRef('v.version', '=', 't.published_version'))
    .select(['a.id as article_id', 'a.slug', 'a.topic', 'a.example', 't.id as translation_id', 't.language', 'v.title', 'v.summary', 'v.text'])
    .where('t.id', 'in', translationIds.length ? [...translationIds] : ['-'])
    .where('t.published_version', 'is not', null)
    .execute();
}

/** Published text of one article's translations (in any of `languages`), through published_version only. */
export function publishedOf(db: Db, where: { articleId?: string; articleIds?: string[]; languages?: readonly string[]; topic?: KbTopic }) {
  let q = db
    .selectFrom('kb_translations as t')
    .innerJoin('kb_articles as a', 'a.id', 't.article_id')
    .innerJoin('kb_versions as v', (j) => j.onRef('v.translation_id', '=', 't.id').onRef('v.version', '=', 't.published_version'))
    .select([
      'a.id as article_id',
      'a.slug',
      'a.topic',
      'a.countries',
      'a.sources',
      'a.example',
      't.id as translation_id',
      't.language',
      't.published_at',
      't.last_reviewed_at',
      'v.title',
      'v.summary',
      'v.html',
      'v.text',
    ])
    .where('t.published_version', 'is not', null);
  if (where.articleId) q = q.where('a.id', '=', where.articleId);
  if (where.articleIds) q = q.where('a.id', 'in', where.articleIds.length ? where.articleIds : ['-']);
  if (where.languages) q = q.where('t.language', 'in', [...where.languages]);
  if (where.topic) q = q.where('a.topic', '=', where.topic);
  return q.orderBy('a.topic').orderBy('a.slug').execute();
}
export type PublishedRow = Awaited<ReturnType<typeof publishedOf>>[number];

/** Which rows stand for an article in the visitor's view: the first language of `order` it is published in. */
function representative(order: readonly string[]): Expression<SqlBool> {
  const branches: Array<Expression<SqlBool>> = order.map((lang, i) => {
    const before = order.slice(0, i);
    return before.length === 0
      ? sql<SqlBool>`s.language = ${lang}`
      : sql<SqlBool>`(s.language = ${lang} and not exists (select 1 from kb_search b where b.article_id = s.article_id and b.language in (${sql.join(before)})))`;
  });
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
}

/**
 * Rows of kb_search that stand for an article in the visitor's view: in the first language of
 * `order` the article is published in (the visitor's, else the fallbacks), optionally only those
 * of `articleIds`. Which article a visitor sees in which language is decided here, for lists and search alike.
 */
export function representativeRows(db: Db, order: readonly string[], opts: { articleIds?: readonly string[] } = {}) {
  let q = db
    .selectFrom('kb_search as s')
    .select(['s.translation_id', 's.article_id', 's.language', 's.title_text', 's.summary_text'])
    .where('s.language', 'in', [...order])
    .where(representative(order));
  if (opts.articleIds) q = q.where('s.article_id', 'in', opts.articleIds.length ? [...opts.articleIds] : ['-']);
  return q.limit(10_000).execute();
}

/** More stand-ins than this: matched through the representative rule instead of a list of ids. */
const MAX_STAND_INS = 200;

/**
 * For each article not published in the first language of `order`, its translation in the first
 * of the others that it has (what the visitor sees instead, marked as a fallback).
 */
async function standInTranslations(db: Db, order: readonly string[]): Promise<StandIn[]> {
  const [first, ...rest] = order;
  if (!first || rest.length === 0) return [];
  // Kept per database handle and language order while kb_search is unchanged (one small read
  // instead of an anti-join over the fallback languages' rows on every search).
  const version = await searchVersion(db);
  const cache = standInCache.get(db) ?? new Map<string, { version: number; standIns: StandIn[] }>();
  standInCache.set(db, cache);
  const key = order.join(',');
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.standIns;
  const rows = await db
    .selectFrom('kb_search as s')
    .select(['s.translation_id', 's.article_id', 's.language'])
    .where('s.language', 'in', rest)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('kb_search as b').select('b.article_id').whereRef('b.article_id', '=', 's.article_id').where('b.language', '=', first))))
    .execute();
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const had = best.get(r.article_id);
    if (!had || rest.indexOf(r.language) < rest.indexOf(had.language)) best.set(r.article_id, r);
  }
  const standIns = [...best.values()].map((r) => ({ translation_id: r.translation_id, language: r.language }));
  cache.set(key, { version, standIns });
  return standIns;
}
interface StandIn {
  translation_id: string;
  language: string;
}
const standInCache = new WeakMap<Db, Map<string, { version: number; standIns: StandIn[] }>>();

/**
 * The search itself: representative rows matching every token, ranked in SQL the same way on
 * both databases (LIKE over the normalised title and summary: a token as a whole word in the
 * title counts most, at a word's beginning more than inside one, then the summary; ties by title),
 * the best `limit` of them with the number of all matches.
 */
export async function searchRows(db: Db, order: readonly string[], tokens: readonly string[], limit: number, opts: { maxWordsPerToken?: number; maxStandIns?: number } = {}) {
  if (tokens.length === 0) return [];
  // Usually every article is published in the visitor's language, or a few are not: then only
  // that language's rows and those few stand-ins are matched, not every fallback language's rows
  // (bench part 6: a broad Latin-script token otherwise matched German and English rows too, only
  // for the representative rule to drop them). Many stand-ins: the representative rule decides.
  const first = order[0]!;
  const standIns = await standInTranslations(db, order);
  const few = standIns.length <= (opts.maxStandIns ?? MAX_STAND_INS);
  const languages = few ? [first, ...order.slice(1).filter((l) => standIns.some((r) => r.language === l))] : order;
  const match = await searchMatch(db, tokens, languages, opts);
  if (!match) return [];
  const ids = standIns.map((r) => r.translation_id);
  const shown: Expression<SqlBool> = !few ? representative(order) : ids.length ? sql<SqlBool>`(s.language = ${first} or s.translation_id in (${sql.join(ids)}))` : sql<SqlBool>`s.language = ${first}`;
  const title = sql`(' ' || s.title_text || ' ')`;
  const summary = sql`(' ' || s.summary_text)`;
  const parts = tokens.map(
    (t) =>
      sql`(case when ${title} like ${`% ${t} %`} then 6 when ${title} like ${`% ${t}%`} then 5 when ${title} like ${`%${t}%`} then 3 else 0 end + case when ${summary} like ${`% ${t}%`} then 2 when ${summary} like ${`%${t}%`} then 1 else 0 end)`,
  );
  const score = sql<number>`(${sql.join(parts, sql` + `)})`;
  return db
    .selectFrom('kb_search as s')
    .select(['s.translation_id', 's.article_id', 's.language', 's.title_text'])
    .select(score.as('score'))
    .select(sql<number>`count(*) over ()`.as('total'))
    .where(match)
    .where(shown)
    .orderBy('score', 'desc')
    .orderBy('s.title_text')
    .orderBy('s.article_id')
    .limit(limit)
    .execute();
}
export type RepresentativeRow = Awaited<ReturnType<typeof representativeRows>>[number];

/** Counts a search without a hit (no visitor, no time of day beyond first and last). */
export async function countMiss(db: Db, language: string, query: string, now: number): Promise<void> {
  await db
    .insertInto('kb_search_misses')
    .values({ language, query, count: 1, first_at: now, last_at: now })
    .onConflict((oc) => oc.columns(['language', 'query']).doUpdateSet((eb) => ({ count: eb('kb_search_misses.count', '+', 1), last_at: now })))
    .execute();
}
export const listMisses = (db: Db, limit: number) => db.selectFrom('kb_search_misses').selectAll().orderBy('count', 'desc').orderBy('last_at', 'desc').limit(limit).execute();
export async function deleteMissesBefore(db: Db, cutoff: number): Promise<number> {
  const r = await db.deleteFrom('kb_search_misses').where('last_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
