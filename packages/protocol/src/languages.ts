/**
 * The codes of the languages DiReturn ships texts for, and the right-to-left ones. Apart from
 * `LANGUAGES` so that the host script (10 KB budget) can match languages without every name.
 */
const CODES = ['de', 'en', 'tr', 'ar', 'ru', 'fa', 'uk', 'ps', 'ku', 'sq', 'sr', 'ka', 'fr'] as const;
const RTL_LANGUAGES: readonly string[] = ['ar', 'fa', 'ps'];

export type LanguageCode = (typeof CODES)[number];
export const LANGUAGE_CODES: readonly LanguageCode[] = CODES;
export type TextDirection = 'ltr' | 'rtl';

/**
 * Languages DiReturn ships texts for (the order of `LANGUAGE_CODES`). `dir` drives layout; names are
 * shown in their own script (the English names are comments: no screen shows them, every bundle would carry them).
 */
export const LANGUAGES = [
  { code: 'de', nativeName: 'Deutsch', dir: 'ltr' }, // German
  { code: 'en', nativeName: 'English', dir: 'ltr' }, // English
  { code: 'tr', nativeName: 'Türkçe', dir: 'ltr' }, // Turkish
  { code: 'ar', nativeName: 'العربية', dir: 'rtl' }, // Arabic
  { code: 'ru', nativeName: 'Русский', dir: 'ltr' }, // Russian
  { code: 'fa', nativeName: 'فارسی', dir: 'rtl' }, // Farsi/Dari
  { code: 'uk', nativeName: 'Українська', dir: 'ltr' }, // Ukrainian
  { code: 'ps', nativeName: 'پښتو', dir: 'rtl' }, // Pashto
  { code: 'ku', nativeName: 'Kurmancî', dir: 'ltr' }, // Kurdish (Kurmanji)
  { code: 'sq', nativeName: 'Shqip', dir: 'ltr' }, // Albanian
  { code: 'sr', nativeName: 'Srpski', dir: 'ltr' }, // Serbian (Latin)
  { code: 'ka', nativeName: 'ქართული', dir: 'ltr' }, // Georgian
  { code: 'fr', nativeName: 'Français', dir: 'ltr' }, // French
] as const satisfies readonly { code: LanguageCode; nativeName: string; dir: TextDirection }[];
export const DEFAULT_LANGUAGE: LanguageCode = 'de';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return typeof value === 'string' && (LANGUAGE_CODES as readonly string[]).includes(value);
}

/** Maps a BCP 47 tag ("ar-SY", "de_DE", "EN") to a shipped language, or undefined. */
export function matchLanguage(tag: string | null | undefined): LanguageCode | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  // Dari (prs) is served by the Farsi texts; Kurmanji may arrive as kmr.
  const alias: Record<string, LanguageCode> = { prs: 'fa', kmr: 'ku' };
  const code = (primary && alias[primary]) ?? primary;
  return isLanguageCode(code) ? code : undefined;
}

export function languageDirection(code: string): TextDirection {
  return RTL_LANGUAGES.includes(code) ? 'rtl' : 'ltr';
}
