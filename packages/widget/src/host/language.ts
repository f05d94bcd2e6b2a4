import { DEFAULT_LANGUAGE, matchLanguage, type LanguageCode } from '@direturn/protocol';

/**
 * The language the chat starts in: the element's `lang` attribute, then the page's `<html lang>`,
 * then the browser's languages, then German. (The frame itself prefers a choice the visitor made
 * earlier inside the chat; the host cannot see that.)
 */
export function resolveLanguage(
  attribute: string | null | undefined,
  doc: Document = document,
  nav: Pick<Navigator, 'languages' | 'language'> = navigator,
): LanguageCode {
  const candidates = [attribute, doc.documentElement.lang, ...(nav.languages ?? []), nav.language];
  for (const tag of candidates) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}
