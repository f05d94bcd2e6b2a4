/** The server's coded validation issues as sentences in the interface language (never its English lines). */
import type { ValidationIssue } from '@direturn/protocol';
import { t, uiLanguage } from '../i18n/i18n.js';
import { isApiError } from '../api/api-error.js';
import { nativeLanguageName } from './format.js';

const WEEKDAY_INDEX: Record<string, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/** "Montag" for "mon", in the interface language (5 January 2026 was a Monday). */
export function weekdayName(day: string, lng = uiLanguage()): string {
  return new Intl.DateTimeFormat(lng === 'sr' ? 'sr-Latn' : lng, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 5 + (WEEKDAY_INDEX[day] ?? 0)));
}

/** A field path ("openingHours.mon.1.to", "allowedOrigins.2") as the form names it. */
export function fieldLabel(path: string): string {
  const [head = '', ...rest] = path.split('.');
  if (head === 'allowedOrigins' && rest[0] !== undefined) return t('accounts.fields.origin', { n: Number(rest[0]) + 1 });
  if (head === 'openingHours' && rest[0] && WEEKDAY_INDEX[rest[0]] !== undefined) {
    const day = weekdayName(rest[0]);
    if (rest[1] === undefined) return day;
    const period = t('accounts.fields.period', { day, n: Number(rest[1]) + 1 });
    return rest[2] === 'from' || rest[2] === 'to' ? `${period} (${t(`accounts.sites.${rest[2]}`)})` : period;
  }
  if (head === 'awayMessages' && rest[0]) return `${t('accounts.fields.awayMessages')} (${nativeLanguageName(rest[0])})`;
  return t(`accounts.fields.${head}`, { defaultValue: path });
}

export function issueText(issue: ValidationIssue): string {
  return t(`accounts.validation.${issue.code}`, { field: fieldLabel(issue.path), ...(issue.params ?? {}) });
}

/** The coded issues of a failed request as sentences; `fallback` when the server sent none. */
export function issueTexts(err: unknown, fallback: string): string[] {
  if (isApiError(err) && err.details.length) return err.details.map(issueText);
  if (isApiError(err, 'network_error')) return [t('common.errors.network')];
  return [fallback];
}
