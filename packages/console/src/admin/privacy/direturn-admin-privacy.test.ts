import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../../api/api-client.js';
import { initI18n } from '../../i18n/i18n.js';
import { json, stubFetch } from '../../test/helpers.js';
import './direturn-admin-privacy.js';
import type { DireturnAdminPrivacy } from './direturn-admin-privacy.js';

const SITE = { id: '22222222-2222-4222-8222-222222222222', key: 'demo', name: 'Caritas Augsburg', allowedOrigins: ['https://c.example'], defaultLanguage: 'de' as const };

async function render() {
  let overrides = [{ siteId: null, language: 'ar', text: 'نص الخصوصية', links: [{ label: 'سياسة', url: 'https://example.org/ar' }] }];
  const stub = stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/sites') return json(200, { sites: [SITE] });
    if (method === 'GET' && url === '/api/privacy-notices') return json(200, { overrides });
    if (method === 'PUT' && url === '/api/privacy-notices') {
      overrides = [...overrides, body as (typeof overrides)[number]];
      return json(200, { overrides });
    }
    if (method === 'DELETE' && url.startsWith('/api/privacy-notices?')) return json(204, null);
    return undefined;
  });
  const el = await fixture<DireturnAdminPrivacy>(html`<direturn-admin-privacy .api=${new ApiClient({ fetch: stub.fetch })}></direturn-admin-privacy>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('tbody th'), 'no notices');
  return { el, root, stub };
}

describe('<direturn-admin-privacy>', () => {
  before(() => initI18n('en'));

  it('lists notices and writes one for a site with links', async () => {
    const { el, root, stub } = await render();
    expect(root.querySelector('tbody tr')!.textContent).to.contain('All sites').and.to.contain('العربية');
    const form = root.querySelector<HTMLFormElement>('form[part="form"]')!;
    const site = form.querySelector<HTMLSelectElement>('select[name="siteId"]')!;
    site.value = SITE.id;
    site.dispatchEvent(new Event('change'));
    const text = form.querySelector<HTMLTextAreaElement>('textarea')!;
    text.value = 'Wir löschen nach {days} Tagen.';
    text.dispatchEvent(new Event('input'));
    [...form.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Add link')!.click();
    await el.updateComplete;
    const [label, url] = [...form.querySelectorAll<HTMLInputElement>('.link input')];
    label!.value = 'Datenschutz';
    label!.dispatchEvent(new Event('input'));
    url!.value = 'javascript:alert(1)';
    url!.dispatchEvent(new Event('input'));
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await el.updateComplete;
    expect(root.querySelector('form [part="error"]')!.textContent).to.contain('https://');
    expect(stub.calls.some((c) => c.method === 'PUT')).to.equal(false);
    url!.value = 'https://caritas.example/datenschutz';
    url!.dispatchEvent(new Event('input'));
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelectorAll('tbody tr').length === 2, 'not saved');
    expect(stub.calls.find((c) => c.method === 'PUT')!.body).to.deep.equal({
      siteId: SITE.id,
      language: 'de',
      text: 'Wir löschen nach {days} Tagen.',
      links: [{ label: 'Datenschutz', url: 'https://caritas.example/datenschutz' }],
    });
  });

  it('removes a notice', async () => {
    const { root, stub } = await render();
    root.querySelector<HTMLButtonElement>('button[aria-label^="Remove notice"]')!.click();
    await waitUntil(() => stub.calls.some((c) => c.method === 'DELETE'), 'not removed');
    expect(stub.calls.find((c) => c.method === 'DELETE')!.url).to.equal('/api/privacy-notices?language=ar');
    await waitUntil(() => root.querySelector('tbody td[colspan]'), 'row still there');
  });

  for (const lang of ['de', 'ar', 'ru'] as const) {
    it(`is accessible in ${lang}`, async () => {
      await initI18n(lang);
      const { el } = await render();
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
