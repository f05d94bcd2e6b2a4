import {
  matchLanguage,
  type KbArticleCardDto,
  type KbArticleMetaDto,
  type KbCountries,
  type KbPublicArticleDto,
  type KbSourceDto,
  type KbTranslationDto,
  type LanguageCode,
  type TranslationState,
} from '@direturn/protocol';
import type { PublishedRow, TranslationWithLatest } from './knowledge.repository.js';
import type { KbArticleRow } from './knowledge.table.js';

const lang = (l: string): LanguageCode => matchLanguage(l) ?? 'de';
const numOrNull = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export function toArticleMeta(a: KbArticleRow): KbArticleMetaDto {
  return {
    id: a.id,
    slug: a.slug,
    topic: a.topic,
    countries: JSON.parse(a.countries) as KbCountries,
    sources: JSON.parse(a.sources) as KbSourceDto[],
    sourceLanguage: lang(a.source_language),
    example: Number(a.example) === 1,
    createdAt: Number(a.created_at),
    updatedAt: Number(a.updated_at),
  };
}

/**
 * The translation state, derived from versions: the source language is up to date by definition;
 * another is outdated when the source's latest major version is newer than the source version it
 * was last brought up to date with.
 */
export function translationState(t: Pick<TranslationWithLatest, 'language' | 'source_version'>, sourceLanguage: string, sourceLatestMajor: number | null): TranslationState {
  if (t.language === sourceLanguage || sourceLatestMajor === null) return 'up_to_date';
  return Number(t.source_version ?? 0) >= sourceLatestMajor ? 'up_to_date' : 'outdated';
}

export function toTranslationDto(t: TranslationWithLatest, state: TranslationState): KbTranslationDto {
  return {
    language: lang(t.language),
    state,
    status: t.status,
    version: Number(t.version),
    publishedVersion: numOrNull(t.published_version),
    lastReviewedAt: numOrNull(t.last_reviewed_at),
    updatedAt: Number(t.updated_at),
    title: t.title,
    summary: t.summary,
    body: t.body,
    sourceVersion: numOrNull(t.source_version),
  };
}

export function toCard(r: Pick<PublishedRow, 'article_id' | 'slug' | 'topic' | 'language' | 'title' | 'summary' | 'example'>, asked: LanguageCode): KbArticleCardDto {
  return {
    id: r.article_id,
    slug: r.slug,
    topic: r.topic,
    language: lang(r.language),
    fallback: r.language !== asked,
    title: r.title,
    summary: r.summary,
    example: Number(r.example) === 1,
  };
}

export function toPublicArticle(r: PublishedRow, asked: LanguageCode, languages: LanguageCode[]): KbPublicArticleDto {
  return {
    ...toCard(r, asked),
    countries: JSON.parse(r.countries) as KbCountries,
    sources: JSON.parse(r.sources) as KbSourceDto[],
    html: r.html,
    lastReviewedAt: numOrNull(r.last_reviewed_at),
    publishedAt: Number(r.published_at ?? 0),
    languages,
  };
}
