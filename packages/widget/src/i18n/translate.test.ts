import { expect } from '@open-wc/testing';
import i18next from 'i18next';
import { UI_LANGUAGES } from './i18n.js';
import { translate, type Resources, type Values } from './translate.js';

// i18next configured as the console and the server configure it (Lit escapes, so i18next must not).
async function reference(lang: string, res: Resources) {
  const instance = i18next.createInstance();
  await instance.init({ lng: lang, fallbackLng: false, resources: { [lang]: { translation: res } }, interpolation: { escapeValue: false }, returnNull: false });
  return (key: string, values?: Values) => instance.t(key, values);
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
function baseKeys(res: Resources, prefix = ''): string[] {
  return Object.entries(res).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'string' ? [key.replace(PLURAL, '')] : baseKeys(v, key);
  });
}
const variables = (res: Resources): string[] =>
  [...JSON.stringify(res).matchAll(/\{\{\s*([^{},]+?)\s*[,}]/g)].map((m) => m[1]!);

// Counts that hit every plural category of the 13 languages (Arabic's 0/1/2/3–10/11–99/100+,
// the Slavic 1/2–4/5–20/21/22), digits for Intl and a fraction.
const COUNTS = [0, 1, 2, 3, 4, 5, 7, 11, 12, 14, 21, 22, 25, 99, 100, 101, 102, 111, 1000, 12345, 1.5];

describe('translate reads the locale files as i18next does', () => {
  for (const lang of UI_LANGUAGES) {
    it(`in ${lang}: every key, with and without values, with counts for every plural form`, async () => {
      // the file the chat loads (web-test-runner.config.mjs serves it as the build emits it)
      const res = (await (await fetch(`/src/i18n/locales/${lang}.json`)).json()) as Resources;
      const i18nextT = await reference(lang, res);
      const names = Object.fromEntries(variables(res).filter((n) => n !== 'count').map((n) => [n, `«${n}»`]));
      const keys = [...new Set(baseKeys(res))];
      expect(keys.length).to.be.greaterThan(20);
      let compared = 0;
      for (const key of keys) {
        for (const values of [undefined, names, ...COUNTS.map((count) => ({ ...names, count }))]) {
          expect(translate(lang, res, key, values), `${lang} ${key} ${JSON.stringify(values)}`).to.equal(i18nextT(key, values));
          compared++;
        }
      }
      expect(compared).to.equal(keys.length * (COUNTS.length + 2));
    });
  }

  it('in the corner cases the files may use: nesting, zero forms, spacing, unknown keys and variables', async () => {
    const res: Resources = {
      a: { b: { c: 'deep {{ name }}' } },
      items_zero: 'none',
      items_one: 'one item',
      items_other: '{{count, number}} items, {{count}} raw',
      only: 'no plural forms, {{count}}',
      gap: 'hello {{who}}',
    };
    for (const lang of ['en', 'ar', 'fa', 'ru']) {
      const i18nextT = await reference(lang, res);
      const cases: [string, Values | undefined][] = [
        ['a.b.c', { name: 'N' }],
        ['a.b.c.d', undefined],
        ['missing.key', { count: 2 }],
        ['gap', {}],
        ['gap', { who: 0 }],
        ['only', { count: 3 }],
        ['missing.key', { defaultValue: 'Something went wrong.' }],
        ['gap', { who: 'you', defaultValue: 'not used: the key has a text' }],
        ['missing.key', { count: 4, defaultValue: '{{count}} left' }],
        ...[0, 1, 2, 5, 11, 100, 1234567].map((count): [string, Values] => ['items', { count }]),
      ];
      for (const [key, values] of cases) expect(translate(lang, res, key, values), `${lang} ${key}`).to.equal(i18nextT(key, values));
    }
    // and what that means, spelled out
    expect(translate('en', res, 'items', { count: 0 })).to.equal('none');
    expect(translate('fa', res, 'items', { count: 1234 })).to.equal('۱٬۲۳۴ items, 1234 raw');
    expect(translate('en', res, 'gap', {})).to.equal('hello {{who}}');
    expect(translate('en', res, 'missing.key')).to.equal('missing.key');
    // how the chat shows an error code it has no text for (`internal`, say)
    expect(translate('en', res, 'errors.internal', { defaultValue: 'Something went wrong.' })).to.equal('Something went wrong.');
    expect(translate('en', res, 'a.b'), 'a branch is no text').to.equal('a.b');
  });
});
