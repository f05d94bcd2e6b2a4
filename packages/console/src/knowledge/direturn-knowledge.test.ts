import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { KbArticleDto, KbArticleListItemDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-knowledge.js';
import type { DireturnKnowledge } from './direturn-knowledge.js';

const status = { version: 1, publishedVersion: null, lastReviewedAt: null, updatedAt: 1 };
const listed: KbArticleListItemDto = {
  id: 'a1',
  slug: 'travel-documents',
  topic: 'documents',
  countries: 'all',
  sources: [],
  sourceLanguage: 'de',
  example: true,
  createdAt: 1,
  updatedAt: 1,
  title: 'Reisedokumente',
  translations: [
    { ...status, language: 'de', state: 'up_to_date', status: 'published', publishedVersion: 2, version: 2 },
    { ...status, language: 'ar', state: 'outdated', status: 'review' },
  ],
};
const full: KbArticleDto = {
  ...listed,
  translations: [
    { ...listed.translations[0]!, title: 'Reisedokumente', summary: 'Pass', body: 'Sie brauchen einen **Pass**.', sourceVersion: null },
    { ...listed.translations[1]!, title: 'وثائق السفر', summary: 'جواز', body: 'تحتاج إلى جواز.', sourceVersion: 1 },
  ],
};

describe('<direturn-knowledge>', () => {
  before(() => initI18n('en'));

  it('shows each language\'s state, edits a translation beside its source with the source\'s changes, saves a version and publishes', async () => {
    const stub = stubFetch((method, url, body) => {
      if (url === '/api/knowledge/articles' && method === 'GET') return json(200, { articles: [listed] });
      if (url === '/api/knowledge/misses') return json(200, { misses: [] });
      if (url === '/api/knowledge/articles/a1') return json(200, { article: full });
      if (url.endsWith('/translations/ar/source-changes')) {
        return json(200, { changes: { sourceLanguage: 'de', fromVersion: 1, toVersion: 2, title: [{ value: 'Reisedokumente' }], summary: [{ value: 'Pass' }], body: [{ value: 'Sie brauchen ' }, { value: 'einen **Pass**.', added: true }] } });
      }
      if (method === 'PUT' && url === '/api/knowledge/articles/a1/translations/ar') return json(200, { article: { ...full, translations: [full.translations[0], { ...full.translations[1], ...(body as object), state: 'up_to_date', version: 2 }] } });
      if (method === 'POST' && url === '/api/knowledge/articles/a1/translations/ar/publish') return json(200, { article: full });
      return undefined;
    });
    const el = await fixture<DireturnKnowledge>(html`<direturn-knowledge .api=${new ApiClient({ fetch: stub.fetch })}></direturn-knowledge>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('table'), 'no matrix');
    const cells = [...root.querySelectorAll('td.cell')] as HTMLElement[];
    expect(cells.find((c) => c.dataset.state === 'outdated')!.textContent).to.contain('outdated');
    expect(cells.filter((c) => c.dataset.state === 'missing')).to.have.length(11);
    root.querySelector<HTMLButtonElement>('tbody th button')!.click();
    await waitUntil(() => root.querySelector('#kb-editor'), 'no editor');
    (root.querySelector('select:not([name])') as HTMLSelectElement).value = 'ar';
    root.querySelector('select:not([name])')!.dispatchEvent(new Event('change'));
    await waitUntil(() => root.querySelector('.diff ins'), 'no source changes');
    expect(root.querySelector('.diff ins')!.textContent).to.equal('einen **Pass**.');
    expect(root.querySelector('.source[lang="de"]')!.textContent).to.contain('Sie brauchen einen **Pass**.');
    const body = root.querySelector<HTMLTextAreaElement>('textarea[name="body"]')!;
    expect(body.getAttribute('dir')).to.equal('auto');
    body.value = 'تحتاج إلى جواز سفر.';
    body.dispatchEvent(new Event('input'));
    (body.closest('form') as HTMLFormElement).requestSubmit();
    await waitUntil(() => stub.calls.some((c) => c.method === 'PUT'), 'not saved');
    expect(stub.calls.find((c) => c.method === 'PUT')!.body).to.deep.equal({ title: 'وثائق السفر', summary: 'جواز', body: 'تحتاج إلى جواز سفر.', minor: false, status: 'review' });
    await waitUntil(() => [...root.querySelectorAll('button')].some((b) => b.textContent!.trim() === 'Publish this version'), 'no publish');
    [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Publish this version')!.click();
    await waitUntil(() => stub.calls.some((c) => c.url.endsWith('/publish')), 'not published');
  });
});
