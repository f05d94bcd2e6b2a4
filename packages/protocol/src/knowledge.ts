/** The knowledge base: articles with one translation per language, as editors, counsellors and visitors see them. */
import type { LanguageCode } from './languages.js';
import type { CaseContextDto } from './orientation.js';

/** Topics an article belongs to (one each); their names are texts of every client (`topic.<id>`). */
export const KB_TOPICS = ['basics', 'eligibility', 'programmes', 'documents', 'health', 'family', 'money', 'before-departure', 'after-arrival'] as const;
export type KbTopic = (typeof KB_TOPICS)[number];

/** Derived from versions, never set by hand: the source language changed in a major edit since the translation's last update → outdated. */
export type TranslationState = 'missing' | 'outdated' | 'up_to_date';
/** Set by editors; only `published` text reaches visitors (the version that was published, not a later draft). */
export type ReviewStatus = 'draft' | 'review' | 'published';

export const KB_LIMITS = {
  slugMaxChars: 80,
  titleMaxChars: 200,
  summaryMaxChars: 600,
  bodyMaxChars: 40_000,
  sourcesMax: 20,
  /** Characters of a search query; longer ones are cut. */
  queryMaxChars: 200,
  /** Request bodies of the editor API (articles are longer than chat messages). */
  httpBodyMaxBytes: 256 * 1024,
} as const;

export interface KbSourceDto { title: string; url: string }

/** "all" = every country of return; else ISO 3166-1 alpha-2 codes (upper case). */
export type KbCountries = 'all' | string[];

export interface KbArticleMetaDto {
  id: string;
  slug: string;
  topic: KbTopic;
  countries: KbCountries;
  sources: KbSourceDto[];
  /** The language others are translated from; its major edits make the others outdated. */
  sourceLanguage: LanguageCode;
  /** Shipped example content that the operator must review. */
  example: boolean;
  createdAt: number;
  updatedAt: number;
}

/** One language of an article at a glance (editor list). */
export interface KbTranslationStatusDto {
  language: LanguageCode;
  state: TranslationState;
  status: ReviewStatus;
  /** Latest saved version (1-based). */
  version: number;
  /** The version visitors see; null while nothing is published. */
  publishedVersion: number | null;
  lastReviewedAt: number | null;
  updatedAt: number;
}

export interface KbArticleListItemDto extends KbArticleMetaDto {
  /** Title in the source language (else any). */
  title: string;
  /** Languages with a translation; missing ones are absent. */
  translations: KbTranslationStatusDto[];
}

export interface KbTranslationDto extends KbTranslationStatusDto {
  title: string;
  summary: string;
  /** Markdown. */
  body: string;
  /** Source version this translation was last brought up to date with (null for the source itself). */
  sourceVersion: number | null;
}

export interface KbArticleDto extends KbArticleMetaDto {
  translations: KbTranslationDto[];
}

export interface KbVersionDto {
  version: number;
  title: string;
  summary: string;
  body: string;
  minor: boolean;
  sourceVersion: number | null;
  agentName: string | null;
  createdAt: number;
}

export interface KbDiffPart { value: string; added?: boolean; removed?: boolean }

/** What changed in the source since a translation was last brought up to date. */
export interface KbSourceChangesDto {
  sourceLanguage: LanguageCode;
  fromVersion: number | null;
  toVersion: number;
  title: KbDiffPart[];
  summary: KbDiffPart[];
  body: KbDiffPart[];
}

/** What a visitor sees in a list: the article in their language or, marked, in the fallback. */
export interface KbArticleCardDto {
  id: string;
  slug: string;
  topic: KbTopic;
  /** The language of the text (the visitor's, or German/English when it has none). */
  language: LanguageCode;
  /** True when `language` is not the one asked for. */
  fallback: boolean;
  title: string;
  summary: string;
  example: boolean;
}

export interface KbPublicArticleDto extends KbArticleCardDto {
  countries: KbCountries;
  sources: KbSourceDto[];
  /** Safe HTML rendered on the server from the published Markdown. */
  html: string;
  lastReviewedAt: number | null;
  publishedAt: number;
  /** Languages the article is published in (hreflang alternates, a language switch). */
  languages: LanguageCode[];
}

/** A piece of a search snippet; `hit` parts are what matched (render as <mark>). */
export interface KbSnippetPart { text: string; hit?: true }

export interface KbSearchHitDto extends KbArticleCardDto {
  snippet: KbSnippetPart[];
}

/** Searches that found nothing, counted per language (the normalised query only; nothing about who). */
export interface KbSearchMissDto { language: LanguageCode; query: string; count: number; lastAt: number }

/** A conversation's message may carry what the visitor was reading when they wrote it. */
export interface ArticleContextDto {
  kind: 'article';
  articleId: string;
  /** The language the visitor read it in. */
  language: LanguageCode;
  slug: string;
  title: string;
}
/** What a message carries beside its text: an article the visitor read, or the case summary of the orientation check. */
export type MessageContextDto = ArticleContextDto | CaseContextDto;

export interface KbArticleListResponse { articles: KbArticleListItemDto[] }
export interface KbArticleResponse { article: KbArticleDto }
export interface KbVersionListResponse { versions: KbVersionDto[] }
export interface KbSourceChangesResponse { changes: KbSourceChangesDto }
export interface KbPreviewResponse { html: string }
export interface KbSearchMissListResponse { misses: KbSearchMissDto[] }
export interface KbCardListResponse { articles: KbArticleCardDto[] }
export interface KbPublicArticleResponse { article: KbPublicArticleDto }
export interface KbSearchResponse { hits: KbSearchHitDto[]; total: number }

/** The JSON that `direturn knowledge export` writes and `import` reads. */
export interface KbExchangeFile {
  format: 'direturn-knowledge';
  version: 1;
  articles: Array<{
    slug: string;
    topic: KbTopic;
    countries: KbCountries;
    sources: KbSourceDto[];
    sourceLanguage: LanguageCode;
    example?: boolean;
    translations: Partial<Record<LanguageCode, { title: string; summary: string; body: string; status: ReviewStatus; lastReviewedAt?: number | null }>>;
  }>;
}
