import { expect } from '@open-wc/testing';
import { LANGUAGE_CODES } from '@direturn/protocol';
import { UI_LANGUAGES, i18n, initI18n, setUiLanguage, t, type Resources } from './i18n.js';

interface LocaleReport {
  [lang: string]: { status: 'reviewed' | 'needs review'; missing: string[] };
}

// Served by web-test-runner.config.mjs from build/locales.mjs, the code the build uses.
const report = async () => (await (await fetch('/__direturn/locale-report.json')).json()) as LocaleReport;
const served = async (lang: string, drop: string[] = []) =>
  (await (await fetch(`/src/i18n/locales/${lang}.json?drop=${drop.join(',')}`)).json()) as Resources;

describe('locales', () => {
  after(async () => {
    await setUiLanguage('de');
  });

  it('ship a file with a review status for every language, listing missing keys per language', async () => {
    const r = await report();
    expect(Object.keys(r).sort()).to.deep.equal([...LANGUAGE_CODES].sort());
    expect([...UI_LANGUAGES].sort()).to.deep.equal([...LANGUAGE_CODES].sort());
    const lines = Object.entries(r).map(([lang, { status, missing }]) =>
      `${lang} (${status}): ${missing.length ? `${missing.length} missing: ${missing.join(', ')}` : 'complete'}`,
    );
    console.log(`Missing translations per language (these fall back to English, then German):\n  ${lines.join('\n  ')}`);
    for (const [lang, { status, missing }] of Object.entries(r)) {
      expect(['reviewed', 'needs review'], lang).to.include(status);
      // a reviewed locale is complete; one that needs review may lack keys (listed above)
      if (status === 'reviewed') expect(missing, `${lang} is marked reviewed`).to.deep.equal([]);
    }
  });

  it('fall back per key to English when a translation is missing, loading only one file', async () => {
    const loaded: string[] = [];
    const ku = await served('ku', ['composer.send', 'messages.typing']);
    await initI18n('ku', async (lang) => {
      loaded.push(lang);
      return ku;
    });
    expect(loaded).to.deep.equal(['ku']);
    expect(i18n.language).to.equal('ku');
    expect(t('composer.send')).to.equal('Send');
    expect(t('messages.typing', { name: 'Lena' })).to.equal('Lena is typing…');
    expect(t('composer.label')).to.equal('Peyama te');
    expect(i18n.has('en')).to.equal(false);
    i18n.forget('ku');
    await initI18n('de'); // back to the real loader
  });

  it('fill missing plural forms from the language itself before falling back', async () => {
    const ar = await served('ar', ['composer.remaining_few']);
    const composer = ar['composer'] as Record<string, string>;
    expect(composer['remaining_few']).to.equal(composer['remaining_other']);
  });

  it('format numbers in plurals with Intl in the language', async () => {
    await setUiLanguage('fa');
    expect(t('composer.remaining', { count: 12 })).to.contain('۱۲');
    await setUiLanguage('ru');
    expect(t('composer.remaining', { count: 3 })).to.equal('Осталось 3 символа');
    expect(t('composer.remaining', { count: 5 })).to.equal('Осталось 5 символов');
  });
});
