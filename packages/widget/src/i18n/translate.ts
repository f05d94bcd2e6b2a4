/**
 * The frame's translator: i18next's own resource format (JSON v4), read the way i18next reads it,
 * for the features the locale files may use: nested keys, plural keys (`_one`, `_few`, … chosen by
 * `Intl.PluralRules`, `_zero` first for a count of 0), `{{name}}` and `{{count, number}}`.
 *
 * Why not i18next itself in the frame: its runtime is 15 KB gzip, half of the open chat's 30 KB
 * budget (docs/performance.md). i18next stays the reference: the build rejects syntax this file
 * does not read (build/locales.mjs), and translate.test.ts checks every key of every locale against
 * i18next. The server renders the frame's first screen with i18next, the console runs it.
 */

export interface Resources {
  [key: string]: string | Resources;
}
/**
 * Interpolation values; `count` also picks the plural form, `defaultValue` is the text when the
 * key has none (as in i18next). i18next's other options are not read here, so they cannot be passed.
 */
export interface Values {
  [name: string]: string | number | undefined;
  defaultValue?: string;
  lng?: never;
  context?: never;
  ordinal?: never;
  returnObjects?: never;
  ns?: never;
  replace?: never;
  interpolation?: never;
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const cached = <T>(cache: Map<string, T>, lang: string, make: () => T): T => {
  let value = cache.get(lang);
  if (!value) cache.set(lang, (value = make()));
  return value;
};

function lookup(res: Resources, key: string): string | undefined {
  let node: string | Resources | undefined = res;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

// i18next's default delimiters; whitespace around the name and the format is ignored, as there.
const PLACEHOLDER = /\{\{\s*([^{},]+?)\s*(?:,\s*([^{}]+?)\s*)?\}\}/g;

/** The text of `key` in `res` (the resources of `lang`), or the key itself when there is none. */
export function translate(lang: string, res: Resources, key: string, values?: Values): string {
  const count = values?.['count'];
  let text: string | undefined;
  if (typeof count === 'number') {
    if (count === 0) text = lookup(res, `${key}_zero`);
    text ??= lookup(res, `${key}_${cached(pluralRules, lang, () => new Intl.PluralRules(lang)).select(count)}`);
  }
  text ??= lookup(res, key) ?? values?.defaultValue;
  if (text === undefined) return key;
  if (!values) return text;
  return text.replace(PLACEHOLDER, (match, name: string, format?: string) => {
    const value = values[name];
    if (value === undefined) return match; // as i18next: an unknown variable stays visible
    return format === 'number' ? cached(numberFormats, lang, () => new Intl.NumberFormat(lang)).format(Number(value)) : String(value);
  });
}
