/**
 * Part 6: knowledge search latency over 2,000 articles × 13 languages, on SQLite (FTS5) and on
 * PostgreSQL (pg_trgm), through the server's own search (the built KnowledgeService), in process.
 * The corpus is made from the words of the shipped example articles of each language; queries are
 * whole words, parts of words, two words and words that are not there, in every language.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGUAGE_CODES, type LanguageCode } from '@direturn/protocol';
import { ROOT } from './servers.js';

const dist = (p: string) => join(ROOT, 'packages/server/dist', p);
const ARTICLES = Number(process.env.BENCH_SEARCH_ARTICLES ?? 2000);
const QUERIES_PER_LANGUAGE = Number(process.env.BENCH_SEARCH_QUERIES ?? 120);
/** Words per language: the examples' own plus made-up ones from their pieces (same script, same letter mix). */
const VOCABULARY = 20_000;
const PG_ADMIN_URL = process.env.DIRETURN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface SearchResult {
  database: 'sqlite' | 'postgres';
  articles: number;
  languages: number;
  translations: number;
  loadSeconds: number;
  queries: number;
  p50: number;
  p95: number;
  p99: number;
  withHits: number;
  meanTotal: number;
}

/** A deterministic generator, so both databases get the same corpus and the same queries. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const pct = (sorted: number[], p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;

export async function measureSearch(log: (s: string) => void): Promise<SearchResult[]> {
  const { openStorage } = await import(dist('db/database.js'));
  const { KnowledgeService } = await import(dist('knowledge/knowledge.service.js'));
  const { normalise, searchText } = await import(dist('knowledge/normalise.js'));
  const { loadExamples } = await import(dist('knowledge/examples.js'));

  // Each language's words as its example articles use them (English where a language has few).
  const examples = loadExamples();
  const vocab = new Map<LanguageCode, string[]>();
  for (const lang of LANGUAGE_CODES) {
    const words = new Set<string>();
    for (const a of examples.articles) {
      const t = a.translations[lang];
      if (t) for (const w of `${t.title} ${t.summary} ${t.body}`.split(/[\s*#\-–:;,.!?()"„“”«»]+/)) if (w.length >= 3 && !/[\/\[\]]/.test(w)) words.add(w);
    }
    const real = [...words];
    const vr = rng(LANGUAGE_CODES.indexOf(lang) + 11);
    const pieces = real.flatMap((w) => { const cs = [...w]; const out: string[] = []; for (let i = 0; i + 2 <= cs.length; i += 2) out.push(cs.slice(i, i + 3).join('')); return out; });
    const made = new Set<string>();
    while (made.size < VOCABULARY) made.add(Array.from({ length: 2 + Math.floor(vr() * 3) }, () => pieces[Math.floor(vr() * pieces.length)]!).join(''));
    // real words first: they are the frequent ones
    vocab.set(lang, [...real, ...made]);
  }
  /** Zipf-like: word k is drawn with a probability about 1/k. */
  const zipf = (r: () => number, n: number) => Math.min(n - 1, Math.floor(Math.exp(r() * Math.log(n + 1))) - 1);
  const draw = (r: () => number, words: string[], n: number) => Array.from({ length: n }, () => words[zipf(r, words.length)]!).join(' ');

  const queries: Array<{ lang: LanguageCode; q: string }> = [];
  const qr = rng(7);
  for (const lang of LANGUAGE_CODES) {
    const words = vocab.get(lang)!;
    for (let i = 0; i < QUERIES_PER_LANGUAGE; i++) {
      // what people search: mostly ordinary words, rarely the most frequent ones
      const w = words[Math.min(words.length - 1, 20 + zipf(qr, words.length))]!;
      const kind = i % 10;
      const q =
        kind < 4 ? w // a whole word
        : kind < 7 ? [...w].slice(1, Math.max(4, Math.min(7, [...w].length))).join('') // part of a word
        : kind < 9 ? `${w} ${words[Math.min(words.length - 1, 20 + zipf(qr, words.length))]!}` // two words
        : `${w}${randomBytes(2).toString('hex')}`; // not there
      queries.push({ lang, q });
    }
  }

  const results: SearchResult[] = [];
  for (const database of (process.env.BENCH_SEARCH_DATABASES ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>) {
    const keep = process.env.BENCH_SEARCH_KEEP; // a directory: keep the SQLite corpus there (profiling)
    const dir = keep ?? mkdtempSync(join(tmpdir(), 'direturn-bench-search-'));
    let pgName: string | undefined;
    let url: string | undefined;
    if (database === 'postgres') {
      pgName = `direturn_bench_${randomBytes(5).toString('hex')}`;
      await admin(`create database ${pgName} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${pgName}`;
      url = u.toString();
    }
    const storage = await openStorage({ databaseUrl: url, databaseFile: join(dir, 'direturn.sqlite') });
    try {
      const started = Date.now();
      const r = rng(42);
      const now = Date.now();
      let translations = 0;
      for (let start = 0; start < ARTICLES; start += 100) {
        await storage.db.transaction().execute(async (trx: any) => {
          const articles = [], trs = [], versions = [], search = [];
          for (let i = start; i < Math.min(ARTICLES, start + 100); i++) {
            const id = randomUUID();
            articles.push({ id, slug: `bench-${i}`, topic: 'basics', countries: '"all"', sources: '[]', source_language: 'de', example: 0, created_at: now, updated_at: now });
            for (const lang of LANGUAGE_CODES) {
              const words = vocab.get(lang)!;
              const title = draw(r, words, 6);
              const summary = draw(r, words, 16);
              const body = draw(r, words, 160);
              const tid = randomUUID();
              trs.push({ id: tid, article_id: id, language: lang, version: 1, status: 'published', published_version: 1, published_at: now, last_reviewed_at: null, updated_at: now });
              versions.push({ id: randomUUID(), translation_id: tid, version: 1, title, summary, body, html: `<p>${body}</p>`, text: body, minor: 0, source_version: null, agent_id: null, created_at: now });
              search.push({ translation_id: tid, article_id: id, language: lang, title_text: normalise(title), summary_text: normalise(summary), search_text: searchText(title, summary, body) });
              translations++;
            }
          }
          await trx.insertInto('kb_articles').values(articles).execute();
          for (let k = 0; k < trs.length; k += 200) {
            await trx.insertInto('kb_translations').values(trs.slice(k, k + 200)).execute();
            await trx.insertInto('kb_versions').values(versions.slice(k, k + 200)).execute();
            await trx.insertInto('kb_search').values(search.slice(k, k + 200)).execute();
          }
        });
      }
      if (database === 'postgres') await (await import(join(ROOT, 'packages/server/node_modules/kysely/dist/esm/index.js'))).sql`analyze`.execute(storage.db);
      const loadSeconds = Math.round((Date.now() - started) / 100) / 10;
      log(`  ${database}: ${translations} published translations loaded in ${loadSeconds} s`);
      const kb = new KnowledgeService(storage.db);
      if (keep) (await import('node:fs')).writeFileSync(join(dir, 'queries.json'), JSON.stringify(queries));
      for (const { lang, q } of queries.slice(0, 200)) await kb.search(q, lang); // warm up
      const times: number[] = [];
      let withHits = 0;
      let totals = 0;
      for (const { lang, q } of queries) {
        const t0 = performance.now();
        const res = await kb.search(q, lang);
        times.push(performance.now() - t0);
        if (res.total > 0) withHits++;
        totals += res.total;
      }
      times.sort((a, b) => a - b);
      const result: SearchResult = {
        database,
        articles: ARTICLES,
        languages: LANGUAGE_CODES.length,
        translations,
        loadSeconds,
        queries: queries.length,
        p50: pct(times, 50),
        p95: pct(times, 95),
        p99: pct(times, 99),
        withHits,
        meanTotal: Math.round(totals / queries.length),
      };
      log(`  ${database}: p50 ${result.p50} p95 ${result.p95} p99 ${result.p99} ms over ${queries.length} queries (${withHits} with hits)`);
      results.push(result);
    } finally {
      await storage.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
      if (pgName && !keep) await admin(`drop database if exists ${pgName} with (force)`);
      if (pgName && keep) log(`  kept ${url}`);
    }
  }
  return results;
}

async function admin(text: string): Promise<void> {
  const pg = createRequire(join(ROOT, 'packages/server/package.json'))('pg');
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
