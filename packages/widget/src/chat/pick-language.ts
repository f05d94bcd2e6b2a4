import { DEFAULT_LANGUAGE, matchLanguage, type LanguageCode } from '@direturn/protocol';

/**
 * The chat's language: what the page asked for (the element's `lang` attribute or `setLanguage`),
 * then the visitor's own earlier choice, then the page's `<html lang>`, then the browser's
 * languages, then the site's default (put on the frame document by the server).
 */
export function pickLanguage(sources: {
  requested: string | null;
  stored: string | null;
  page: string | null;
  browser: readonly string[];
  siteDefault: string | null | undefined;
}): LanguageCode {
  for (const tag of [sources.requested, sources.stored, sources.page, ...sources.browser, sources.siteDefault]) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}
