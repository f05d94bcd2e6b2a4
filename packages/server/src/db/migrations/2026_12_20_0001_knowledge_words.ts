import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// PostgreSQL's search answers most tokens from a word index (bench part 6: rechecking the trigram
// index's candidates read and decompressed every candidate's text, p95 31 ms over 2,000 articles
// × 13 languages). Each kb_search row keeps its distinct words (GIN); kb_terms holds each
// language's words once (its key serves word beginnings), kb_term_parts every ending of three or
// more letters of each word (its key serves parts of words: `part like 'tok%'` is a range, where
// a trigram index on the words read long posting lists). A token becomes the words that contain
// it, then the rows that have one of them. A trigger keeps all three current, as SQLite's
// triggers keep its FTS5 tables. SQLite: nothing (FTS5 serves it). Words that no text uses any
// more stay until the retention job prunes them; they cannot make a row match.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Both databases: a number that changes with kb_search (knowledge.table.ts, KbSearchStateTable).
  await db.schema
    .createTable('kb_search_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  if (dialectOf(db) !== 'postgres') return;
  // "C": byte order, so that LIKE 'ab%' is a range on the key whatever the database's collation
  await db.schema
    .createTable('kb_terms')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('term', sql`text collate "C"`, (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_terms_pk', ['language', 'term'])
    .execute();
  await db.schema
    .createTable('kb_term_parts')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('part', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('term', sql`text collate "C"`, (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_term_parts_pk', ['language', 'part', 'term'])
    .execute();
  await sql`alter table kb_search add column words text[] not null default '{}'`.execute(db);
  // Words longer than a query token can be (64 characters, normalise.ts) stay out of the word
  // tables (a pasted hash would make thousands of long keys, and keys have a size limit); such a
  // row is marked and matched by its text instead (text-search.ts).
  await sql`alter table kb_search add column long_words boolean not null default false`.execute(db);
  await sql`
    create function kb_search_words() returns trigger language plpgsql as $$
    begin
      new.words := array(select distinct w from unnest(string_to_array(btrim(new.search_text), ' ')) as w where w <> '' and char_length(w) <= 64);
      new.long_words := exists (select 1 from unnest(string_to_array(btrim(new.search_text), ' ')) as w where char_length(w) > 64);
      with added as (
        insert into kb_terms (language, term) select new.language, w from unnest(new.words) as w
        on conflict do nothing returning language, term
      )
      insert into kb_term_parts (language, part, term)
      select a.language, substr(a.term, i), a.term from added a, generate_series(1, char_length(a.term) - 2) as i
      on conflict do nothing;
      return new;
    end
    $$`.execute(db);
  await sql`create trigger kb_search_words_biu before insert or update of search_text, language on kb_search for each row execute function kb_search_words()`.execute(db);
  // A broad token (in very many words) still goes through the trigram index, whose candidates are
  // read and their text decompressed: lz4 decompresses about three times faster than the default
  // pglz (bench: `der` in 2,000 German texts 12 → 4 ms). A server built without lz4 keeps pglz.
  await sql`
    do $$ begin
      alter table kb_search alter column search_text set compression lz4;
    exception when feature_not_supported then null;
    end $$`.execute(db);
  // The rows already there: a new value (|| '') is compressed anew, and the trigger fills their words and the terms.
  await sql`update kb_search set search_text = search_text || ''`.execute(db);
  await sql`create index kb_search_words_gin on kb_search using gin (words)`.execute(db);
  await sql`create index kb_search_long_words_idx on kb_search (language) where long_words`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('kb_search_state').ifExists().execute();
  if (dialectOf(db) !== 'postgres') return;
  await sql`drop trigger if exists kb_search_words_biu on kb_search`.execute(db);
  await sql`drop function if exists kb_search_words()`.execute(db);
  await sql`alter table kb_search drop column if exists words`.execute(db);
  await sql`alter table kb_search drop column if exists long_words`.execute(db);
  await db.schema.dropTable('kb_term_parts').ifExists().execute();
  await db.schema.dropTable('kb_terms').ifExists().execute();
}
