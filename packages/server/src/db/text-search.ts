import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';

/**
 * The one rule (knowledge/normalise.ts `matches`), each database with its own index: a token of
 * three or more characters anywhere in `search_text`, a shorter one at the beginning of a word;
 * every token must be found. SQLite: FTS5 (trigram for substrings, unicode61 prefix queries for
 * short beginnings). PostgreSQL: LIKE, served by a pg_trgm GIN index. The text and the tokens are
 * normalised (only letters, digits, single spaces), so no token can carry an operator.
 * Only rows in `languages`. The outer query's kb_search row has the alias `s`.
 */
export function searchMatch(db: Db, tokens: readonly string[], languages: readonly string[]): Expression<SqlBool> {
  const long = tokens.filter((t) => [...t].length >= 3);
  const short = tokens.filter((t) => [...t].length < 3);
  if (dialectOf(db) === 'postgres') {
    const likes = [...long.map((t) => sql<SqlBool>`s.search_text like ${`%${t}%`}`), ...short.map((t) => sql<SqlBool>`s.search_text like ${`% ${t}%`}`)];
    // A branch per language, its code as a literal (a shipped language code, checked before it
    // gets here): the planner sees each branch is served by that language's partial index.
    const perLanguage = languages.filter((l) => /^[a-z]{2,3}$/.test(l)).map((l) => sql<SqlBool>`(s.language = ${sql.lit(l)} and ${sql.join(likes, sql` and `)})`);
    return sql<SqlBool>`(${sql.join(perLanguage, sql` or `)})`;
  }
  // Measured (bench part 6): walking the language index and probing the full-text matches beat
  // starting from the full-text matches of every language for the common, broad queries.
  const parts: Array<Expression<SqlBool>> = [sql<SqlBool>`s.language in (${sql.join(languages)})`];
  if (long.length) parts.push(sql<SqlBool>`s.n in (select rowid from kb_search_trigram where kb_search_trigram match ${long.map((t) => `"${t}"`).join(' AND ')})`);
  if (short.length) parts.push(sql<SqlBool>`s.n in (select rowid from kb_search_words where kb_search_words match ${short.map((t) => `"${t}"*`).join(' AND ')})`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
