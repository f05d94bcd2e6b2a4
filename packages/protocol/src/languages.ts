/**
 * The codes of the languages DiReturn ships texts for, and the right-to-left ones. Apart from
 * `LANGUAGES` so that the host script (10 KB budget) can match languages without every name.
 */
const CODES = ['de', 'en', 'tr', 'ar', 'ru', 'fa', 'uk', 'ps', 'ku', 'sq', 'sr', 'ka', 'fr'] as const;
const RTL_LANGUAGES: readonly string[] = ['ar', 'fa', 'ps'];

export type LanguageCode = (typeof CODES)[number];
export const LANGUAGE_CODES: readonly LanguageCode[] = CODES;
export type TextDirection = 'ltr' | 'rtl';

/** Languages DiReturn ships texts for (the order of `LANGUAGE_CODES`). `dir` drives layout; names are shown in their own script. */
export const LANGUAGES = [
  { code: 'de', nativeName: 'Deutsch', englishName: 'German', dir: 'ltr' },
  { code: 'en', nativeName: 'English', englishName: 'English', dir: 'ltr' },
  { code: 'tr', nativeName: 'Türkçe', englishName: 'Turkish', dir: 'ltr' },
  { code: 'ar', nativeName: 'العربية', englishName: 'Arabic', dir: 'rtl' },
  { code: 'ru', nativeName: 'Русский', englishName: 'Russian', dir: 'ltr' },
  { code: 'fa', nativeName: 'فارسی', englishName: 'Farsi/Dari', dir: 'rtl' },
  { code: 'uk', nativeName: 'Українська', englishName: 'Ukrainian', dir: 'ltr' },
  { code: 'ps', nativeName: 'پښتو', englishName: 'Pashto', dir: 'rtl' },
  { code: 'ku', nativeName: 'Kurmancî', englishName: 'Kurdish (Kurmanji)', dir: 'ltr' },
  { code: 'sq', nativeName: 'Shqip', englishName: 'Albanian', dir: 'ltr' },
  { code: 'sr', nativeName: 'Srpski', englishName: 'Serbian (Latin)', dir: 'ltr' },
  { code: 'ka', nativeName: 'ქართული', englishName: 'Georgian', dir: 'ltr' },
  { code: 'fr', nativeName: 'Français', englishName: 'French', dir: 'ltr' },
] as const satisfies readonly { code: LanguageCode; nativeName: string; englishName: string; dir: TextDirection }[];
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
