import { sql, type Kysely } from 'kysely';
import { LANGUAGE_CODES } from '@direturn/protocol';
import { dialectOf } from '../dialect.js';

// The knowledge base: articles, one translation per language, every save a version, and a search
// table of the published text, normalised by the app (knowledge/normalise.ts) the same way for
// both databases. Each indexes it its own way: SQLite with two FTS5 tables over it (trigram for
// parts of words, unicode61 for short word beginnings), PostgreSQL with a pg_trgm GIN index that
// serves the same LIKE patterns. Also: the editor role (agents.role is text), a message's context
// (what the visitor was reading, sealed) and the widget's first view per site.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('countries', 'text', (c) => c.notNull())
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('source_language', 'text', (c) => c.notNull())
    .addColumn('example', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_articles_topic_idx').on('kb_articles').column('topic').execute();

  await db.schema
    .createTable('kb_translations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('kb_articles.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('published_version', 'integer')
    .addColumn('published_at', 'bigint')
    .addColumn('last_reviewed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('kb_translations_article_language_unique', ['article_id', 'language'])
    .execute();

  await db.schema
    .createTable('kb_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('translation_id', 'text', (c) => c.notNull().references('kb_translations.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('minor', 'integer', (c) => c.notNull())
    .addColumn('source_version', 'integer')
    .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('kb_versions_translation_version_unique', ['translation_id', 'version'])
    .execute();

  let search = db.schema.createTable('kb_search');
  // SQLite's FTS5 tables point at rows by an integer key that VACUUM keeps (INTEGER PRIMARY KEY).
  if (!pg) search = search.addColumn('n', 'integer', (c) => c.primaryKey());
  await search
    .addColumn('translation_id', 'text', (c) => (pg ? c.primaryKey() : c.notNull().unique()).references('kb_translations.id').onDelete('cascade'))
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title_text', 'text', (c) => c.notNull())
    .addColumn('summary_text', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_search_language_idx').on('kb_search').columns(['language', 'article_id']).execute();
  await db.schema.createIndex('kb_search_article_idx').on('kb_search').columns(['article_id', 'language']).execute();
  if (pg) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    // One trigram index per language (partial): a search reads the visitor's language and its
    // fallbacks only, not every language's rows that share a trigram. A language added later
    // needs its index in a migration of its own.
    for (const lang of LANGUAGE_CODES) {
      await sql.raw(`create index kb_search_trgm_${lang} on kb_search using gin (search_text gin_trgm_ops) where language = '${lang}'`).execute(db);
    }
  } else {
    // Exact, case-sensitive substrings (the text is normalised already): like PostgreSQL's LIKE.
    await sql`create virtual table kb_search_trigram using fts5(search_text, content='kb_search', content_rowid='n', tokenize='trigram case_sensitive 1')`.execute(db);
    // Words split at spaces (the normalised text has only letters, digits and single spaces) for 1–2 letter beginnings.
    await sql`create virtual table kb_search_words using fts5(search_text, content='kb_search', content_rowid='n', tokenize='unicode61 remove_diacritics 0', prefix='1 2')`.execute(db);
    for (const t of ['kb_search_trigram', 'kb_search_words']) {
      await sql.raw(`create trigger ${t}_ai after insert on kb_search begin insert into ${t}(rowid, search_text) values (new.n, new.search_text); end`).execute(db);
      await sql.raw(`create trigger ${t}_ad after delete on kb_search begin insert into ${t}(${t}, rowid, search_text) values ('delete', old.n, old.search_text); end`).execute(db);
      await sql
        .raw(
          `create trigger ${t}_au after update on kb_search begin insert into ${t}(${t}, rowid, search_text) values ('delete', old.n, old.search_text); ` +
            `insert into ${t}(rowid, search_text) values (new.n, new.search_text); end`,
        )
        .execute(db);
    }
  }

  await db.schema
    .createTable('kb_search_misses')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_search_misses_pk', ['language', 'query'])
    .execute();

  await db.schema.alterTable('messages').addColumn('context', 'text').execute();
  await db.schema.alterTable('sites').addColumn('start_view', 'text', (c) => c.notNull().defaultTo('home')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sites').dropColumn('start_view').execute();
  await db.schema.alterTable('messages').dropColumn('context').execute();
  if (dialectOf(db) === 'sqlite') {
    for (const t of ['kb_search_trigram', 'kb_search_words']) await sql.raw(`drop table if exists ${t}`).execute(db);
  }
  for (const t of ['kb_search_misses', 'kb_search', 'kb_versions', 'kb_translations', 'kb_articles']) await db.schema.dropTable(t).execute();
}
