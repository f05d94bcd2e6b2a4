import type { Generated, Selectable } from 'kysely';
import type { KbTopic, ReviewStatus } from '@direturn/protocol';

export interface KbArticleTable {
  id: string;
  /** One slug for every language: /info/<lang>/<slug>. */
  slug: string;
  topic: KbTopic;
  /** JSON: "all" or an array of ISO 3166-1 alpha-2 codes. */
  countries: string;
  /** JSON array of {title, url}. */
  sources: string;
  source_language: string;
  /** 1 = shipped example content the operator must review. */
  example: number;
  created_at: number;
  updated_at: number;
}

/** One language of an article: its latest version number and review status; the text lives in kb_versions. */
export interface KbTranslationTable {
  id: string;
  article_id: string;
  language: string;
  version: number;
  status: ReviewStatus;
  /** The version visitors see; null = nothing published in this language. */
  published_version: number | null;
  published_at: number | null;
  last_reviewed_at: number | null;
  updated_at: number;
}

/** Every save of a translation. */
export interface KbVersionTable {
  id: string;
  translation_id: string;
  version: number;
  title: string;
  summary: string;
  /** Markdown as the author wrote it. */
  body: string;
  /** Safe HTML rendered from `body` when it was saved. */
  html: string;
  /** Plain text of `body` (snippets). */
  text: string;
  /** 1 = "minor edit: translations need no update". */
  minor: number;
  /** Translations: the source version this one was brought up to date with; null for the source language. */
  source_version: number | null;
  agent_id: string | null;
  created_at: number;
}

/**
 * One row per published translation: the published text normalised (normalise.ts) for search.
 * SQLite also keeps an integer key `n` for its FTS5 indexes (external content).
 */
export interface KbSearchTable {
  n: Generated<number>;
  translation_id: string;
  article_id: string;
  language: string;
  title_text: string;
  summary_text: string;
  /** ` title summary body ` normalised, words separated by single spaces, with a space at both ends. */
  search_text: string;
}

/**
 * One row (id 1), absent until the first publish: a number that changes with every change of
 * kb_search, in the same transaction, so that what is derived from the published set can be
 * kept between searches and known to be current (knowledge.repository.ts, stand-ins).
 */
export interface KbSearchStateTable {
  id: number;
  version: number;
}

/** Searches without a hit, per language and normalised query; nothing else about searches is stored. */
export interface KbSearchMissTable {
  language: string;
  query: string;
  count: number;
  first_at: number;
  last_at: number;
}

export type KbArticleRow = Selectable<KbArticleTable>;
export type KbTranslationRow = Selectable<KbTranslationTable>;
export type KbVersionRow = Selectable<KbVersionTable>;
