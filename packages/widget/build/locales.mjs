// Build-time helpers for the widget's locale files, shared by rollup.config.mjs and
// web-test-runner.config.mjs, so tests see exactly what the build ships.
//
// - Each src/i18n/locales/<lang>.json carries `_meta.status`: "reviewed" or "needs review".
// - Fallback happens here, per key: the file shipped as dist/locales/<lang>.json holds the
//   language's own texts, with every missing key filled from English, then German. The chat thus
//   downloads exactly one locale file and still never shows a raw key.
// - The host script must not ship i18next; its two texts (`host.*`) are compiled into a compact
//   map served as a virtual module.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HOST_TEXTS_ID = 'virtual:direturn-host-texts';
export const LOCALES_DIR = fileURLToPath(new URL('../src/i18n/locales/', import.meta.url));
/**
 * Texts of views loaded on demand, kept out of the locale file the frame inlines: each namespace
 * ships as dist/locales/<namespace>/<lang>.json, checked and filled like the main files.
 */
export const NAMESPACES = {
  offices: fileURLToPath(new URL('../src/offices/locales/', import.meta.url)),
  resume: fileURLToPath(new URL('../src/resume/locales/', import.meta.url)),
  orientation: fileURLToPath(new URL('../src/orientation/locales/', import.meta.url)),
  callback: fileURLToPath(new URL('../src/callback/locales/', import.meta.url)),
  call: fileURLToPath(new URL('../src/call/locales/', import.meta.url)),
  'reply-notice': fileURLToPath(new URL('../src/reply-notice/locales/', import.meta.url)),
};
/** Per-key fallback order after the language itself. */
export const FALLBACK_CHAIN = ['en', 'de'];
export const STATUSES = ['reviewed', 'needs review'];

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

export function readLocales(dir = LOCALES_DIR) {
  const out = {};
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    out[file.slice(0, -5)] = JSON.parse(readFileSync(dir + file, 'utf8'));
  }
  return out;
}

export function localeStatus(res) {
  const status = res?._meta?.status;
  return STATUSES.includes(status) ? status : 'needs review';
}

function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && k === '_meta') continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

function unflatten(flat) {
  const out = {};
  for (const [key, value] of Object.entries(flat)) {
    const path = key.split('.');
    let node = out;
    for (const part of path.slice(0, -1)) node = node[part] ??= {};
    node[path.at(-1)] = value;
  }
  return out;
}

function pluralCategories(lang) {
  // 'zero' is optional except in Arabic, where it is a real grammatical form
  return new Intl.PluralRules(lang).resolvedOptions().pluralCategories.filter((c) => c !== 'zero' || lang === 'ar');
}

/** Keys English has, expanded to the plural categories `lang` needs. */
function expectedKeys(lang, reference) {
  const keys = new Set();
  for (const key of Object.keys(reference)) {
    if (PLURAL_SUFFIX.test(key)) {
      const base = key.replace(PLURAL_SUFFIX, '');
      for (const cat of pluralCategories(lang)) keys.add(`${base}_${cat}`);
    } else keys.add(key);
  }
  return [...keys];
}

/** Keys `lang` lacks (compared with English), in the order English has them. */
export function missingKeys(lang, locales = readLocales()) {
  const own = flatten(locales[lang] ?? {});
  return expectedKeys(lang, flatten(locales.en)).filter((key) => typeof own[key] !== 'string' || own[key] === '');
}

/** `{ lang: { status, missing: [...] } }` for every locale file. */
export function localeReport(locales = readLocales()) {
  const report = {};
  for (const [lang, res] of Object.entries(locales)) report[lang] = { status: localeStatus(res), missing: missingKeys(lang, locales) };
  return report;
}

/**
 * What the chat loads for `lang`: its own texts, each missing key filled from English, then German
 * (a missing plural form first from the language's own `_other`). `drop` removes keys first (tests).
 */
export function resolveLocale(lang, locales = readLocales(), drop = []) {
  const own = flatten(locales[lang] ?? {});
  for (const key of drop) delete own[key];
  const chain = [own, ...FALLBACK_CHAIN.filter((l) => l !== lang).map((l) => flatten(locales[l] ?? {}))];
  const out = {};
  for (const key of expectedKeys(lang, flatten(locales.en))) {
    const base = key.replace(PLURAL_SUFFIX, '');
    const candidates = PLURAL_SUFFIX.test(key)
      ? chain.flatMap((res) => [res[key], res[`${base}_other`]])
      : chain.map((res) => res[key]);
    const value = candidates.find((v) => typeof v === 'string' && v !== '');
    if (value !== undefined) out[key] = value;
  }
  return unflatten(out);
}

/** `{ de: [title, unread], ... }`: the host's texts, with the same fallback as the chat. */
export function hostTexts(locales = readLocales()) {
  const map = {};
  for (const lang of Object.keys(locales)) {
    const { host } = resolveLocale(lang, locales);
    map[lang] = [host.title, host.unread];
  }
  return map;
}

export function hostTextsModule() {
  return `export default ${JSON.stringify(hostTexts())};\n`;
}

/**
 * i18next syntax the frame's translator (src/i18n/translate.ts) does not read: nesting (`$t(…)`),
 * unescaped (`{{- x}}`), nested (`{{a.b}}`) or formatted placeholders other than `{{x, number}}`, ordinal plurals and
 * non-text values. A translator's use of one fails the build instead of showing wrong text.
 */
export function unsupportedSyntax(lang, res) {
  const problems = [];
  for (const [key, value] of Object.entries(flatten(res))) {
    const where = `${lang}: ${key}`;
    if (typeof value !== 'string') problems.push(`${where}: must be a text`);
    else {
      if (value.includes('$t(')) problems.push(`${where}: nesting ($t) is not supported`);
      for (const [, inner] of value.matchAll(/\{\{([^{}]*)\}\}/g)) {
        const [name, format, ...rest] = inner.split(',').map((part) => part.trim());
        if (!name || name.startsWith('-') || name.includes('.') || rest.length || (format !== undefined && format !== 'number')) {
          problems.push(`${where}: {{${inner}}} is not supported (use {{name}} or {{name, number}})`);
        }
      }
    }
    if (/_ordinal_/.test(key)) problems.push(`${where}: ordinal plurals are not supported`);
  }
  return problems;
}

/**
 * Problems that must fail the build: bad status, a "reviewed" locale with missing keys, or syntax
 * the frame cannot read.
 */
export function checkLocales(locales = readLocales()) {
  const problems = [];
  for (const [lang, res] of Object.entries(locales)) {
    problems.push(...unsupportedSyntax(lang, res));
    if (!STATUSES.includes(res?._meta?.status)) problems.push(`${lang}: _meta.status must be one of ${STATUSES.join(', ')}`);
    const missing = missingKeys(lang, locales);
    if (missing.length && localeStatus(res) === 'reviewed') problems.push(`${lang} (reviewed): missing ${missing.join(', ')}`);
  }
  return problems;
}

/** Human-readable list of missing keys per language (empty string when every locale is complete). */
export function formatMissing(report = localeReport()) {
  return Object.entries(report)
    .filter(([, r]) => r.missing.length)
    .map(([lang, r]) => `  ${lang} (${r.status}): ${r.missing.length} missing: ${r.missing.join(', ')}`)
    .join('\n');
}
