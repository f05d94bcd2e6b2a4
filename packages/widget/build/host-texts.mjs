// Build-time helpers shared by rollup.config.mjs and web-test-runner.config.mjs.
// The host script must not ship i18next, so the few texts it needs (`host.*` in the locale files)
// are compiled into a compact map that is served as a virtual module.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HOST_TEXTS_ID = 'virtual:direturn-host-texts';
export const LOCALES_DIR = fileURLToPath(new URL('../src/i18n/locales/', import.meta.url));

export function readLocales() {
  const out = {};
  for (const file of readdirSync(LOCALES_DIR).sort()) {
    if (!file.endsWith('.json')) continue;
    out[file.slice(0, -5)] = JSON.parse(readFileSync(LOCALES_DIR + file, 'utf8'));
  }
  return out;
}

/** `{ de: { launcherOpen, launcherClose, unread_one, unread_other, ... }, ... }` */
export function hostTexts(locales = readLocales()) {
  const map = {};
  for (const [lang, res] of Object.entries(locales)) {
    const host = res.host;
    if (!host || typeof host !== 'object') throw new Error(`locale ${lang}: missing "host" section`);
    map[lang] = {};
    for (const [key, value] of Object.entries(host)) {
      if (typeof value !== 'string') throw new Error(`locale ${lang}: host.${key} must be a string`);
      map[lang][key] = value;
    }
  }
  return map;
}

export function hostTextsModule() {
  return `export default ${JSON.stringify(hostTexts())};\n`;
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

/**
 * Every shipped locale must have every key English has, with every plural category its language
 * needs (Intl.PluralRules), so the chat never has to load English as a fallback for a shipped
 * language. Returns a list of problems (empty when complete).
 */
export function checkLocales(locales = readLocales(), reference = 'en') {
  const problems = [];
  const ref = flatten(locales[reference]);
  const refBases = new Set(Object.keys(ref).map((k) => k.replace(PLURAL_SUFFIX, '')));
  const pluralBases = new Set(Object.keys(ref).filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, '')));
  for (const [lang, res] of Object.entries(locales)) {
    const flat = flatten(res);
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const base of refBases) {
      if (pluralBases.has(base)) {
        for (const cat of categories) {
          if (cat === 'zero' && lang !== 'ar') continue; // 'zero' is optional outside Arabic
          if (!(`${base}_${cat}` in flat)) problems.push(`${lang}: missing ${base}_${cat}`);
        }
      } else if (!(base in flat)) {
        problems.push(`${lang}: missing ${base}`);
      }
    }
  }
  return problems;
}
