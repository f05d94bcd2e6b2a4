import type { SiteDto } from '@direturn/protocol';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../../api/api-client.js';
import { initI18n } from '../../i18n/i18n.js';
import { json, stubFetch } from '../../test/helpers.js';
import './direturn-admin-sites.js';
import type { DireturnAdminSites } from './direturn-admin-sites.js';
import type { DireturnSiteForm } from './direturn-site-form.js';

const SITES: SiteDto[] = [
  { id: '11111111-1111-4111-8111-111111111111', key: 'demo', name: 'Demo partner page', allowedOrigins: ['http://localhost:8080'], defaultLanguage: 'de', startView: 'home', enabled: true, timeZone: 'Europe/Berlin', openingHours: null, awayMessages: {} },
  { id: '22222222-2222-4222-8222-222222222222', key: 's_caritas', name: 'Caritas Augsburg', allowedOrigins: ['https://caritas.example', 'https://www.caritas.example'], defaultLanguage: 'ar', startView: 'chat', enabled: false, timeZone: 'Europe/Berlin', openingHours: { mon: [{ from: '09:00', to: '12:00' }] }, awayMessages: { de: 'Heute geschlossen.' } },
];
const DEFAULTS = { de: 'Unsere Beraterinnen und Berater sind gerade nicht erreichbar.', en: 'Our counsellors are not available right now.', ps: 'زموږ سلاکاران اوس مهال شتون نه لري.' };

async function render(extra: Parameters<typeof stubFetch>[0] = () => undefined) {
  const stub = stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/sites') return json(200, { sites: SITES, publicUrl: 'https://chat.example.org' });
    if (method === 'GET' && url === '/api/sites/away-defaults') return json(200, { defaults: DEFAULTS });
    return extra(method, url, body);
  });
  const el = await fixture<DireturnAdminSites>(html`<direturn-admin-sites .api=${new ApiClient({ fetch: stub.fetch })}></direturn-admin-sites>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelectorAll('tbody tr').length === 2, 'sites not listed');
  return { el, root, stub };
}
const row = (root: ShadowRoot, name: string) => [...root.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')?.textContent === name)!;
const button = (scope: Element | ShadowRoot, text: string) => [...scope.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;

describe('<direturn-admin-sites>', () => {
  before(() => initI18n('en'));

  it('lists sites with origins, language, status and hours; the edit form shows the embed code with the public address', async () => {
    const { el, root } = await render();
    const caritas = row(root, 'Caritas Augsburg');
    expect(caritas.textContent).to.contain('https://www.caritas.example');
    expect(caritas.textContent).to.contain('العربية');
    expect(caritas.textContent).to.contain('Disabled');
    expect(caritas.textContent).to.contain('Europe/Berlin');
    expect(row(root, 'Demo partner page').textContent).to.contain('Always open');
    button(caritas, 'Edit').click();
    await el.updateComplete;
    expect(root.querySelector('[part=snippet]')!.textContent).to.equal('<script type="module" src="https://chat.example.org/widget.js" data-site="s_caritas"></script>');
    await expect(el).to.be.accessible();
  });

  it('saves opening hours and away messages, and shows the server’s issues translated', async () => {
    let sent: Record<string, unknown> | undefined;
    let fail = true;
    const { el, root } = await render((method, url, body) => {
      if (method !== 'PATCH' || url !== `/api/sites/${SITES[0]!.id}`) return undefined;
      sent = body as Record<string, unknown>;
      if (fail) return json(400, { error: { code: 'bad_request', message: 'The request is not valid.', details: [{ path: 'allowedOrigins.0', code: 'invalid_origin' }, { path: 'openingHours.tue.0.to', code: 'hours_order' }] } });
      return json(200, { site: { ...SITES[0]!, ...(body as object) } });
    });
    button(row(root, 'Demo partner page'), 'Edit').click();
    await el.updateComplete;
    const form = root.querySelector('tbody direturn-site-form') as DireturnSiteForm;
    const f = form.shadowRoot!;
    (f.querySelector('[part=hours] input[type=checkbox]') as HTMLInputElement).click();
    await form.updateComplete;
    // Weekdays 09:00–16:00 are offered; add a second period on Monday.
    const monday = f.querySelector('fieldset.day')!;
    expect(monday.querySelector('legend')!.textContent).to.equal('Monday');
    button(monday, 'Add period').click();
    await form.updateComplete;
    (f.querySelector('textarea[name=away-ps]') as HTMLTextAreaElement).value = 'موږ بېرته راځو.';
    f.querySelector('form')!.requestSubmit();
    await waitUntil(() => form.errors.length === 2, 'no errors');
    expect([...f.querySelectorAll('[part=error] li')].map((li) => li.textContent)).to.deep.equal([
      'Allowed origin 1: enter an origin like https://www.example.org (scheme and host, no path).',
      'Tuesday, period 1 (Until): the end must be later than the start.',
    ]);
    expect(sent).to.deep.include({ enabled: true, defaultLanguage: 'de', startView: 'home', timeZone: 'Europe/Berlin' });
    expect((sent!.openingHours as Record<string, unknown>).mon).to.deep.equal([
      { from: '09:00', to: '16:00' },
      { from: '16:00', to: '20:00' },
    ]);
    expect((sent!.openingHours as Record<string, unknown>).sat).to.deep.equal([]);
    expect((sent!.awayMessages as Record<string, string>).ps).to.equal('موږ بېرته راځو.');
    expect(f.querySelector('textarea[name=away-ps]')!.getAttribute('dir')).to.equal('rtl');
    fail = false;
    f.querySelector('form')!.requestSubmit();
    await waitUntil(() => root.querySelector('[part=status]')!.textContent!.includes('saved'), 'not saved');
    expect(row(root, 'Demo partner page').textContent).to.contain('Opening hours in');
  });

  it('refuses to remove a site that still has conversations, and removes one that has none', async () => {
    const { el, root } = await render((method, url) => {
      if (method === 'DELETE' && url === `/api/sites/${SITES[1]!.id}`) return json(409, { error: { code: 'site_in_use', message: 'x' } });
      if (method === 'DELETE' && url === `/api/sites/${SITES[0]!.id}`) return json(204, null);
      return undefined;
    });
    button(row(root, 'Caritas Augsburg'), 'Remove').click();
    await el.updateComplete;
    button(row(root, 'Caritas Augsburg'), 'Remove').click();
    await waitUntil(() => root.querySelector('[part=error]'), 'no error');
    expect(root.querySelector('[part=error]')!.textContent).to.contain('Disable the site instead');
    button(row(root, 'Demo partner page'), 'Remove').click();
    await el.updateComplete;
    button(row(root, 'Demo partner page'), 'Remove').click();
    await waitUntil(() => root.querySelectorAll('tbody tr').length === 1, 'not removed');
  });

  it('adds a site and shows its embed code', async () => {
    const { el, root } = await render((method, url, body) => {
      if (method === 'POST' && url === '/api/sites') return json(201, { site: { ...SITES[0]!, ...(body as object), id: '33333333-3333-4333-8333-333333333333', key: 's_new' } });
      return undefined;
    });
    const form = root.querySelector('direturn-site-form:not(tbody *)') as DireturnSiteForm;
    const f = form.shadowRoot!;
    (f.querySelector('input[name=name]') as HTMLInputElement).value = 'Diakonie Kassel';
    (f.querySelector('textarea[name=origins]') as HTMLTextAreaElement).value = 'https://diakonie-kassel.example\nhttps://www.diakonie-kassel.example';
    f.querySelector('form')!.requestSubmit();
    await waitUntil(() => root.querySelectorAll('tbody tr').length === 3, 'not added');
    await el.updateComplete;
    expect([...root.querySelectorAll('[part=snippet]')].map((p) => p.textContent).join()).to.contain('data-site="s_new"');
    await expect(el).to.be.accessible();
  });
});
