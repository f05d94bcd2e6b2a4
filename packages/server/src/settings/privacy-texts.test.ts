import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '@direturn/protocol';
import { DEFAULT_PRIVACY_TEXTS } from './privacy-texts.js';

/** The widget's own texts (source locale files), where the delete button's label lives. */
const widgetLocale = (lang: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../widget/src/i18n/locales/${lang}.json`, import.meta.url)), 'utf8')) as {
    privacy: { delete: string };
  };

/** Text in quotation marks of any of the languages' styles: „…“ "…" «…» “…”. */
const quoted = (text: string) => [...text.matchAll(/[„"«“]\s?([^„"«»“”]+?)\s?[“"»”]/g)].map((m) => m[1]);

describe('built-in privacy notices', () => {
  it('exist for every language', () => {
    expect(Object.keys(DEFAULT_PRIVACY_TEXTS).sort()).toEqual([...LANGUAGE_CODES].sort());
  });

  // The notice tells the visitor which button deletes their data: it must be the button's own words.
  for (const lang of LANGUAGE_CODES) {
    it(`name the delete button exactly as the widget labels it (${lang})`, () => {
      const text = DEFAULT_PRIVACY_TEXTS[lang]!;
      expect(quoted(text)).toEqual([widgetLocale(lang).privacy.delete]);
    });
  }
});
