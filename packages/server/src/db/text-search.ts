import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';

/**
 * PostgreSQL: a token found in at most this many distinct words (of the searched languages) is
 * matched through the word index; a broader one (`der`, `ال…`) through the trigram index, whose
 * candidates then match early in their text.
 */
export const MAX_WORDS_PER_TOKEN = 64;

const LANGUAGE = /^[a-z]{2,3}$/;

/**
 * The one rule (knowledge/normalise.ts `matches`), each database with its own index: a token of
 * three or more characters anywhere in `search_text`, a shorter one at the beginning of a word;
 * every token must be found. The text and the tokens are normalised (only letters, digits, single
 * spaces), so no token can carry an operator; a token is never inside two words.
 * SQLite: FTS5 (trigram for substrings, unicode61 prefix queries for short beginnings).
 * PostgreSQL: the words that contain the token (kb_term_parts, kb_terms), then the rows that have one of them
 * (GIN over kb_search.words); a token in very many words by LIKE, served by the language's
 * pg_trgm index. A word longer than 64 characters is not in the word tables: its row is marked
 * (`long_words`) and matched by its text. Undefined only without a language to search.
 * Only rows in `languages`. The outer query's kb_search row has the alias `s`.
 */
export async function searchMatch(
  db: Db,
  tokens: readonly string[],
  languages: readonly string[],
  opts: { maxWordsPerToken?: number } = {},
): Promise<Expression<SqlBool> | undefined> {
  const isLong = (t: string) => [...t].length >= 3;
  if (dialectOf(db) === 'postgres') {
    const max = opts.maxWordsPerToken ?? MAX_WORDS_PER_TOKEN;
    // Shipped language codes only (checked here): they go into the SQL as literals below.
    const langs = languages.filter((l) => LANGUAGE.test(l));
    const { words, longWords } = await wordsOf(db, tokens, langs, max + 1);
    if (!longWords && tokens.some((_, i) => (words.get(i)?.words.length ?? 0) === 0)) return undefined;
    const lists = tokens.map((_, i) => words.get(i) ?? { words: [], complete: true });
    // With one token narrowed by the word index, a broad one only filters those few rows (strpos:
    // not indexable, so the planner does not read the broad token's trigram postings as well).
    const narrow = (l: TokenWords) => l.complete && l.words.length <= max;
    const narrowed = lists.some(narrow);
    const conditions = tokens.map((t, i) => {
      const found = lists[i]!;
      const needle = isLong(t) ? t : ` ${t}`;
      // rows with a word too long for the word tables (migration 2026_12_20) are matched by their text
      if (narrow(found)) {
        // only where such rows exist: the OR costs the planner its index plan (bench part 6)
        if (!longWords) return found.words.length ? sql<SqlBool>`s.words && ${found.words}::text[]` : sql<SqlBool>`false`;
        const inLong = sql<SqlBool>`(s.long_words and strpos(s.search_text, ${needle}) > 0)`;
        return found.words.length ? sql<SqlBool>`(s.words && ${found.words}::text[] or ${inLong})` : inLong;
      }
      return narrowed ? sql<SqlBool>`strpos(s.search_text, ${needle}) > 0` : sql<SqlBool>`s.search_text like ${`%${needle}%`}`;
    });
    // A branch per language, its code as a literal: the planner sees each branch is served by that
    // language's partial trigram index where a LIKE is left.
    const perLanguage = langs.map((l) => sql<SqlBool>`(s.language = ${sql.lit(l)} and ${sql.join(conditions, sql` and `)})`);
    return perLanguage.length ? sql<SqlBool>`(${sql.join(perLanguage, sql` or `)})` : undefined;
  }
  const long = tokens.filter(isLong);
  const short = tokens.filter((t) => !isLong(t));
  // Measured (bench part 6): walking the language index and probing the full-text matches beat
  // starting from the full-text matches of every language for the common, broad queries.
  const parts: Array<Expression<SqlBool>> = [sql<SqlBool>`s.language in (${sql.join(languages)})`];
  if (long.length) parts.push(sql<SqlBool>`s.n in (select rowid from kb_search_trigram where kb_search_trigram match ${long.map((t) => `"${t}"`).join(' AND ')})`);
  if (short.length) parts.push(sql<SqlBool>`s.n in (select rowid from kb_search_words where kb_search_words match ${short.map((t) => `"${t}"*`).join(' AND ')})`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** The words that contain a token; `complete` false when the lookup stopped at its limit (more may exist). */
interface TokenWords {
  words: string[];
  complete: boolean;
}

/**
 * PostgreSQL: per token (by index), the words of `languages` that contain it (or begin with it, if
 * short), reading at most `limit` rows each (a word with the token twice is two rows). One round trip.
 */
async function wordsOf(db: Db, tokens: readonly string[], languages: readonly string[], limit: number): Promise<{ words: Map<number, TokenWords>; longWords: boolean }> {
  const out = new Map<number, TokenWords>();
  if (tokens.length === 0 || languages.length === 0) return { words: out, longWords: false };
  const branches = tokens.map((t, i) => {
    // LIKE 'tok%' on a "C" column: a range on the key (the token has no LIKE operator)
    return [...t].length >= 3
      ? sql`(select ${sql.lit(i)}::int as i, term from kb_term_parts where language in (${sql.join(languages)}) and part like ${`${t}%`} limit ${limit})`
      : sql`(select ${sql.lit(i)}::int as i, term from kb_terms where language in (${sql.join(languages)}) and term like ${`${t}%`} limit ${limit})`;
  });
  // and whether any row of these languages has a word too long for the word tables (i = -1)
  branches.push(sql`(select -1 as i, '' as term from kb_search where long_words and language in (${sql.join(languages)}) limit 1)`);
  const { rows } = await sql<{ i: number; term: string }>`${sql.join(branches, sql` union all `)}`.execute(db);
  const longWords = rows.some((r) => r.i === -1);
  const counts = new Map<number, number>();
  for (const r of rows) {
    if (r.i === -1) continue;
    const entry = out.get(r.i) ?? { words: [], complete: true };
    if (!entry.words.includes(r.term)) entry.words.push(r.term);
    counts.set(r.i, (counts.get(r.i) ?? 0) + 1);
    entry.complete = counts.get(r.i)! < limit;
    out.set(r.i, entry);
  }
  return { words: out, longWords };
}

/**
 * PostgreSQL: forgets words no published text has any more (the trigger only adds). One
 * transaction that locks out the trigger's inserts meanwhile (SHARE ROW EXCLUSIVE conflicts with
 * their ROW EXCLUSIVE), so a word a text gains while the prune runs is not deleted under it.
 * Returns the number of words forgotten; SQLite: 0 (FTS5 forgets with its rows).
 */
export async function pruneSearchWords(db: Db): Promise<number> {
  if (dialectOf(db) !== 'postgres') return 0;
  return db.transaction().execute(async (trx) => {
    await sql`lock table kb_terms in share row exclusive mode`.execute(trx);
    const gone = await sql`delete from kb_terms t where not exists (select 1 from kb_search s where s.language = t.language and s.words @> array[t.term::text])`.execute(trx);
    await sql`delete from kb_term_parts p where not exists (select 1 from kb_terms t where t.language = p.language and t.term = p.term)`.execute(trx);
    return Number(gone.numAffectedRows ?? 0);
  });
}
