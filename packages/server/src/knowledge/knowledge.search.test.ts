import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LanguageCode } from '@direturn/protocol';
import { openStorage, type Storage } from '../db/database.js';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { searchRows } from './knowledge.repository.js';
import { KnowledgeService, languageOrder } from './knowledge.service.js';
import { matches, queryTokens, searchText } from './normalise.js';

// Runs on SQLite (FTS5) and on PostgreSQL (pg_trgm): the same queries must find the same articles.

let storage: Storage;
let pgDb: TestPgDatabase | undefined;
let dir: string;
let kb: KnowledgeService;

/** Articles as authors write them: with diacritics, Arabic letter forms, compounds, prefixed articles. */
const TEXTS: Array<{ slug: string; lang: LanguageCode; title: string; summary: string; body: string }> = [
  {
    slug: 'border-certificate',
    lang: 'de',
    title: 'Die Grenzübertrittsbescheinigung',
    summary: 'Was die GÜB ist und wo Sie sie bekommen.',
    body: 'Bei der Ausreise geben Sie die Bescheinigung an der Grenze ab. Die **Ausländerbehörde** stellt sie aus.',
  },
  {
    slug: 'border-certificate',
    lang: 'ar',
    title: 'شَهَادَةُ عُبُورِ الْحُدُودِ',
    summary: 'ما هي الشهادة ومن أين تحصل عليها.',
    body: 'تُسَلِّمُ الشَّهَادَةَ عِنْدَ الْحُدُودِ. تُصْدِرُهَا دائرة الأجانب. يمكنك أن تسأل في الْمَكْتَبِ عن الكتاب.',
  },
  {
    slug: 'border-certificate',
    lang: 'fa',
    title: 'گواهی عبور از مرز',
    summary: 'این گواهی را از اداره اتباع خارجی میگیرید.',
    body: 'هنگام خروج از ايران يا کشور دیگر، گواهی را در مرز تحویل می‌دهید. كتابچه راهنما را همراه داشته باشید.',
  },
  {
    slug: 'border-certificate',
    lang: 'ru',
    title: 'Справка о пересечении границы',
    summary: 'Что это за справка и где её получить.',
    body: 'При выезде вы сдаёте справку на границе. Возьмите с собой загранпаспорт и ещё одну ёлку.',
  },
  {
    slug: 'border-certificate',
    lang: 'tr',
    title: 'Sınır geçiş belgesi',
    summary: 'Belgeyi Yabancılar Dairesi düzenler.',
    body: 'Ayrılırken belgeyi sınırda teslim edersiniz. İstanbul üzerinden uçuyorsanız pasaportunuzu yanınıza alın.',
  },
  { slug: 'pension', lang: 'de', title: 'Rentenbeiträge erstatten lassen', summary: 'Beiträge zur Rentenversicherung.', body: 'Die Deutsche Rentenversicherung entscheidet über die Erstattung.' },
  { slug: 'pension', lang: 'en', title: 'Pension contributions', summary: 'Getting contributions refunded.', body: 'The German pension insurance decides on refunds.' },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'direturn-kb-'));
  if (TEST_DATABASE === 'postgres') pgDb = await createPgDatabase();
  storage = await openStorage({ databaseUrl: pgDb?.url, databaseFile: join(dir, 'direturn.sqlite') });
  kb = new KnowledgeService(storage.db);
  const ids = new Map<string, string>();
  for (const t of TEXTS) {
    let id = ids.get(t.slug);
    if (!id) {
      id = (await kb.create({ slug: t.slug, topic: 'documents', countries: 'all', sources: [], sourceLanguage: 'de' }, null)).id;
      ids.set(t.slug, id);
    }
    await kb.saveTranslation(id, t.lang, { title: t.title, summary: t.summary, body: t.body, minor: false, status: 'review' }, null);
    await kb.publish(id, t.lang, null);
  }
});
afterAll(async () => {
  await storage.close();
  await pgDb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const slugs = async (q: string, lang: LanguageCode) => (await kb.search(q, lang)).hits.map((h) => `${h.slug}:${h.language}`);

describe(`knowledge search on ${TEST_DATABASE}`, () => {
  it.each([
    // [language, query, why]
    ['de', 'übertritt', 'part of a German compound'],
    ['de', 'UBERTRITT', 'case and umlaut folded'],
    ['de', 'auslanderbeh', 'the beginning of a word, without its umlaut'],
    ['ar', 'الحدود', 'a word the text writes with harakat'],
    ['ar', 'حدود', 'without the prefixed article (inside the word)'],
    ['ar', 'شهادة', 'ta marbuta, text with diacritics'],
    ['ar', 'كتاب', 'Arabic kaf finding the word after its article'],
    ['ar', 'ڪتاب'.replace('ڪ', 'ک'), 'Persian keheh finding the Arabic kaf'],
    ['ar', 'مكتب', 'partial word, the text has harakat'],
    ['fa', 'ایران', 'Persian yeh finding Arabic yeh (ايران)'],
    ['fa', 'كتابچه', 'Arabic kaf finding Persian keheh'],
    ['fa', 'میدهید', 'without the half-space (ZWNJ) the text has'],
    ['fa', 'عبور', 'a whole word'],
    ['fa', 'اتباع', 'partial phrase'],
    ['ru', 'загранпаспорт', 'a whole word'],
    ['ru', 'паспорт', 'part of a compound'],
    ['ru', 'еще', 'е finding ё'],
    ['ru', 'СПРАВК', 'upper case, partial'],
    ['tr', 'istanbul', 'İ folded to i'],
    ['tr', 'sinir', 'ı folded to i'],
    ['tr', 'pasaport', 'part of a word with a suffix'],
    ['tr', 'gecis belgesi', 'two words, ç and ş folded'],
  ] as const)('in %s, "%s" finds the article (%s)', async (lang, query, _why) => {
    expect(await slugs(query, lang)).toEqual([`border-certificate:${lang}`]);
  });

  it('finds words by their beginning when the query is short, but not inside words', async () => {
    expect(await slugs('gr', 'de')).toEqual(['border-certificate:de']); // "Grenze…", "Grenzübertritts…"
    expect(await slugs('ze', 'de')).toEqual([]); // only inside words
  });

  it('requires every word and finds nothing for words the texts do not have', async () => {
    expect(await slugs('grenze rentenversicherung', 'de')).toEqual([]);
    expect(await slugs('xylophon', 'de')).toEqual([]);
    expect(await slugs('', 'de')).toEqual([]);
    expect(await slugs('  ?!  ', 'de')).toEqual([]);
  });

  it('searches the fallback text where the language has none, and says so', async () => {
    const { hits } = await kb.search('pension', 'ar');
    expect(hits).toMatchObject([{ slug: 'pension', language: 'en', fallback: true }]);
    // Arabic has its own text of the other article: the German/English ones are not searched for it.
    expect(await slugs('grenze', 'ar')).toEqual([]);
  });

  it('ranks title hits first and highlights what matched in the original text', async () => {
    const { hits } = await kb.search('بالشهادة شهادة', 'ar');
    expect(hits).toHaveLength(0); // every word must match: "بالشهادة" is not in the text
    const found = await kb.search('شهادة', 'ar');
    expect(found.hits[0]!.snippet.some((p) => p.hit && /شهادة|الشهادة/.test(p.text.normalize('NFKC')))).toBe(true);
    const de = await kb.search('bescheinigung', 'de');
    expect(de.hits[0]!.snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['Bescheinigung']); // as the author wrote it
  });

  it('agrees with the reference rule for many queries (same articles on both databases)', async () => {
    const texts = TEXTS.map((t) => ({ key: `${t.slug}:${t.lang}`, lang: t.lang, indexed: searchText(t.title, t.summary, t.body.replace(/\*\*/g, '')) }));
    const queries = ['gr', 'grenz', 'ung', 'بر', 'حد', 'ال', 'ی', 'مر', 'сп', 'ср', 'на', 'belge', 'si', 'renten', 'pen', 'contributions refunded', 'die'];
    for (const lang of ['de', 'ar', 'fa', 'ru', 'tr'] as const) {
      for (const q of queries) {
        const tokens = queryTokens(q);
        // Texts a visitor of `lang` sees: their own language, else English, else German (per article).
        const seen = ['border-certificate', 'pension'].map((slug) => [lang, 'en', 'de'].map((l) => texts.find((t) => t.key === `${slug}:${l}`)).find(Boolean)!);
        const expected = seen.filter((t) => matches(t.indexed, tokens)).map((t) => t.key).sort();
        expect((await slugs(q, lang)).sort(), `${lang} "${q}"`).toEqual(expected);
      }
    }
  });

  it('finds the same rows whether a token goes through the word index or the trigram index, and however fallbacks are chosen', async () => {
    // PostgreSQL answers a token found in few words through its word index and a broad one by LIKE
    // (MAX_WORDS_PER_TOKEN); 0 and 1 force the LIKE path for every or nearly every token.
    const rows = async (q: string, lang: LanguageCode, opts: { maxWordsPerToken?: number; maxStandIns?: number } = {}) =>
      (await searchRows(storage.db, languageOrder(lang), queryTokens(q), 20, opts)).map((r) => `${r.article_id}:${r.language}`).sort();
    const queries = ['gr', 'grenz', 'ung', 'بر', 'حد', 'ال', 'ی', 'сп', 'ср', 'belge', 'si', 'renten', 'pen', 'contributions refunded', 'die', 'xylophon', 'gr xylophon'];
    let found = 0;
    for (const lang of ['de', 'ar', 'fa', 'ru', 'tr'] as const) {
      for (const q of queries) {
        const words = await rows(q, lang);
        found += words.length;
        expect(await rows(q, lang, { maxWordsPerToken: 0 }), `${lang} "${q}" by LIKE`).toEqual(words);
        expect(await rows(q, lang, { maxWordsPerToken: 1 }), `${lang} "${q}" mixed`).toEqual(words);
        // fallback texts chosen by the representative rule instead of a list of stand-ins
        expect(await rows(q, lang, { maxStandIns: 0 }), `${lang} "${q}" without stand-ins`).toEqual(words);
      }
    }
    expect(found).toBeGreaterThanOrEqual(15); // the queries do find rows: the comparison is not between empty lists
  });

  it('does not take a word list cut at its limit for all the words (a token twice in one word)', async () => {
    // "ana" is in banana twice, in ananas twice, in cabana once: with room for 2 words the lookup
    // reads 3 rows and has seen only banana and cabana; it must not search those two words only.
    for (const [slug, word] of [['fruit-1', 'banana'], ['fruit-2', 'ananas'], ['fruit-3', 'cabana']] as const) {
      const { id } = await kb.create({ slug, topic: 'documents', countries: 'all', sources: [], sourceLanguage: 'sq' }, null);
      await kb.saveTranslation(id, 'sq', { title: `Fruta ${slug}`, summary: 'Nje fjale.', body: word, minor: false, status: 'review' }, null);
      await kb.publish(id, 'sq', null);
    }
    const fruits = async (maxWordsPerToken: number) =>
      (await searchRows(storage.db, languageOrder('sq'), ['ana'], 20, { maxWordsPerToken })).map((r) => r.language === 'sq' ? r.title_text : `${r.language}`).filter((t) => t.startsWith('fruta')).sort();
    expect(await fruits(2)).toEqual(['fruta fruit 1', 'fruta fruit 2', 'fruta fruit 3']);
    expect(await fruits(0)).toEqual(await fruits(2));
    for (const slug of ['fruit-1', 'fruit-2', 'fruit-3']) {
      const [a] = (await kb.list()).filter((x) => x.slug === slug);
      await kb.unpublish(a!.id, 'sq', null);
    }
  });

  it('publishes and finds a text with a very long word (a pasted hash): parts of it and the words around it', async () => {
    // 3,000 characters that do not compress (PostgreSQL compresses long index keys), Georgian and Latin
    const letters = [...'abcdefghijklmnopqrstuvwxyz0123456789აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ'];
    let x = 7;
    const long = Array.from({ length: 3000 }, () => letters[(x = (x * 1103515245 + 12345) % 2 ** 31) % letters.length]).join('');
    const inside = long.slice(1400, 1412);
    const { id } = await kb.create({ slug: 'long-word', topic: 'documents', countries: 'all', sources: [], sourceLanguage: 'ka' }, null);
    await kb.saveTranslation(id, 'ka', { title: 'გრძელი', summary: 'ტექსტი.', body: `დასაწყისი ${long} დასასრული`, minor: false, status: 'review' }, null);
    await kb.publish(id, 'ka', null);
    expect(await slugs(inside, 'ka')).toEqual(['long-word:ka']); // inside the long word
    expect(await slugs(long.slice(100, 164), 'ka')).toEqual(['long-word:ka']); // a token as long as tokens get
    expect(await slugs('დასასრ', 'ka')).toEqual(['long-word:ka']); // an ordinary word of that text
    expect(await slugs(`${inside} დასაწყ`, 'ka')).toEqual(['long-word:ka']);
    expect(await slugs(`${inside} xylophon`, 'ka')).toEqual([]);
    await kb.unpublish(id, 'ka', null);
    expect(await slugs(inside, 'ka')).toEqual([]);
  });

  it('forgets the words of a text that changed and finds the new ones', async () => {
    const [pension] = (await kb.list()).filter((a) => a.slug === 'pension');
    await kb.saveTranslation(pension!.id, 'en', { title: 'Pension contributions', summary: 'Getting contributions refunded.', body: 'The Deutsche Rentenversicherung decides on reimbursements.', minor: true, status: 'review' }, null);
    await kb.publish(pension!.id, 'en', null);
    expect(await slugs('reimbursem', 'en')).toEqual(['pension:en']);
    expect(await slugs('refunds', 'en')).toEqual([]); // only in the body before
    await kb.saveTranslation(pension!.id, 'en', { title: 'Pension contributions', summary: 'Getting contributions refunded.', body: 'The German pension insurance decides on refunds.', minor: true, status: 'review' }, null);
    await kb.publish(pension!.id, 'en', null);
    expect(await slugs('refunds', 'en')).toEqual(['pension:en']);
    expect(await slugs('reimbursem', 'en')).toEqual([]);
    // PostgreSQL's word list keeps the old word until pruned; SQLite's FTS5 has nothing to prune
    const forgotten = await kb.pruneSearchWords();
    if (TEST_DATABASE === 'postgres') {
      expect(forgotten).toBeGreaterThanOrEqual(3); // "deutsche", "rentenversicherung", "reimbursements" in English (and the unpublished fruits)
      const terms = await sql<{ term: string }>`select term from kb_terms where language = 'en' and term in ('reimbursements', 'refunds')`.execute(storage.db);
      expect(terms.rows.map((r) => r.term)).toEqual(['refunds']);
    } else expect(forgotten).toBe(0);
    expect(await slugs('refunds', 'en')).toEqual(['pension:en']);
  });

  it('shows a new translation instead of its fallback at once, and the fallback again when it is unpublished', async () => {
    const [pension] = (await kb.list()).filter((a) => a.slug === 'pension');
    expect(await slugs('pension', 'ar')).toEqual(['pension:en']); // remembered between searches
    await kb.saveTranslation(pension!.id, 'ar', { title: 'اشتراكات التقاعد', summary: 'استرداد الاشتراكات.', body: 'تقرر هيئة التأمين.', minor: false, status: 'review' }, null);
    await kb.publish(pension!.id, 'ar', null);
    expect(await slugs('تقاعد', 'ar')).toEqual(['pension:ar']);
    expect(await slugs('pension', 'ar')).toEqual([]); // the English text is no longer what Arabic visitors see
    await kb.unpublish(pension!.id, 'ar', null);
    expect(await slugs('pension', 'ar')).toEqual(['pension:en']);
    expect(await slugs('تقاعد', 'ar')).toEqual([]);
  });

  it('counts searches without hits per language, normalised, when asked to', async () => {
    await kb.search('Wohngeld Ärger', 'de', { countMiss: true });
    await kb.search('wohngeld  ARGER', 'de', { countMiss: true });
    await kb.search('bescheinigung', 'de', { countMiss: true }); // a hit: not counted
    await kb.search('xylophon', 'de'); // counsellors' lookups are not counted
    expect(await kb.misses()).toEqual([{ language: 'de', query: 'wohngeld arger', count: 2, lastAt: expect.any(Number) }]);
  });
});
