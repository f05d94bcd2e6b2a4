/** Formatting helpers shared by the lists and the conversation view. */
import { LANGUAGES, type LanguageCode } from '@direturn/protocol';

/** "example.org/help/return" from a full URL: no scheme, query or fragment (they may hold personal data). */
export function hostAndPath(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
    const path = u.pathname === '/' ? '' : u.pathname;
    return u.host + path;
  } catch {
    return '';
  }
}

export function languageInfo(code: LanguageCode | string): { nativeName: string; dir: 'ltr' | 'rtl' } | undefined {
  return LANGUAGES.find((l) => l.code === code);
}

export function nativeLanguageName(code: LanguageCode | string): string {
  return languageInfo(code)?.nativeName ?? code;
}

/** "Deutsch, English and العربية" in the interface language (Intl.ListFormat), each name in its own script. */
export function languageList(codes: readonly string[], lng: string): string {
  return new Intl.ListFormat(lng, { type: 'conjunction' }).format(codes.map(nativeLanguageName));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "vor 3 Minuten" / "3 minutes ago" for an epoch-ms time in the past. */
export function relativeTime(then: number, now: number, locale: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
  const diff = then - now; // negative for the past
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.trunc(diff / ms), unit);
  }
  return rtf.format(Math.trunc(diff / 1000 / 10) * 10, 'second');
}

export function clockTime(at: number, locale: string, now = Date.now()): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  const fmt = new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' });
  return fmt.format(at);
}

export function fullDateTime(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium' }).format(at);
}

/** A count in the interface language's digits ("۱۲" in Persian, "12" in German). */
export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}
