import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OfficeLookupResponse, OfficeMatchDto } from '@direturn/protocol';
import { initI18n } from '../i18n/i18n.js';
import './office-search.js';
import type { OfficeSearch } from './office-search.js';

const office = (overrides: Partial<OfficeMatchDto> = {}): OfficeMatchDto => ({
  id: 'o1',
  name: 'Rückkehrberatung Mitte',
  organisation: 'Verein e. V.',
  carrier: 'non_state',
  address: { street: 'Weg 1', postalCode: '10115', city: 'Berlin' },
  latitude: 52.5,
  longitude: 13.4,
  phone: '+49 30 1234567',
  email: 'mitte@example.org',
  website: 'https://example.org/',
  openingHours: 'Mo–Fr 9–12',
  languages: ['ar', 'tr'],
  targetGroups: [],
  channels: ['in_person', 'phone'],
  note: null,
  example: false,
  distanceKm: 1.2,
  ...overrides,
});

const found = (offices: OfficeMatchDto[]): OfficeLookupResponse => ({
  status: 'found',
  postcode: '10115',
  district: { key: '11000', name: 'Berlin, Stadt', level: 'district' },
  state: { key: '11', name: 'Berlin', level: 'state' },
  match: 'state',
  offices,
  attribution: 'GeoNames (geonames.org), CC BY 4.0',
});

/** A fetcher answering from a table of query strings; records every URL. */
function fetcher(answers: Record<string, OfficeLookupResponse | number>) {
  const urls: string[] = [];
  const f = async (url: string) => {
    urls.push(url);
    const answer = answers[new URL(url, 'http://x').search] ?? 404;
    return typeof answer === 'number' ? new Response('', { status: answer }) : new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { f, urls };
}

async function render(lang: string, answers: Record<string, OfficeLookupResponse | number>) {
  await initI18n(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  const { f, urls } = fetcher(answers);
  const el = await fixture<OfficeSearch>(html`<direturn-office-search .fetcher=${f}></direturn-office-search>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('form'), 'texts not loaded');
  const search = async (postcode: string, carrier = 'any') => {
    root.querySelector<HTMLInputElement>('input[name="postcode"]')!.value = postcode;
    root.querySelector<HTMLSelectElement>('select[name="carrier"]')!.value = carrier;
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await el.updateComplete; // searching
    await waitUntil(() => root.querySelector('[part="results"]')!.getAttribute('aria-busy') === 'false', 'no answer');
  };
  return { el, root, urls, search };
}

describe('<direturn-office-search>', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
  });

  it('finds the responsible offices in Turkish, with call, e-mail and map, and credits GeoNames', async () => {
    const { el, root, urls, search } = await render('tr', {
      '?postcode=10115&carrier=non_state': found([office(), office({ id: 'o2', name: 'Beispiel', example: true, phone: '+49 000 0000001' })]),
    });
    expect(root.querySelector('h2')!.textContent).to.equal('Danışma merkezimi bul');
    await search('10115', 'non_state');
    expect(urls).to.deep.equal(['/api/public/offices/lookup?postcode=10115&carrier=non_state']);
    const results = root.querySelector('[part="results"]')!;
    expect(results.textContent).to.contain('Berlin, Stadt için sorumlu:');
    expect(results.textContent).to.contain('Bu merkezlerden istediğinizi seçebilirsiniz.');
    const [real, example] = [...results.querySelectorAll('[part="office"]')];
    expect(real!.querySelector('a[href="tel:+49301234567"]')!.textContent).to.equal('Ara');
    expect(real!.querySelector('a[href="mailto:mitte@example.org"]')).to.not.equal(null);
    expect(real!.querySelector<HTMLAnchorElement>('a[target="_blank"]')!.href).to.contain('openstreetmap.org/search?query=Weg%201%2C%2010115%20Berlin');
    expect(real!.textContent).to.contain('Arapça'); // languages named in the visitor's language
    expect(real!.textContent).to.contain('yaklaşık 1.2 km uzakta');
    // An example office is marked, and its placeholder number is not offered for calling.
    expect(example!.textContent).to.contain('Yalnızca örnek');
    expect(example!.querySelector('a[href^="tel:"]')).to.equal(null);
    expect(root.querySelector('[part="credit"]')!.textContent).to.contain('GeoNames');
    await expect(el).to.be.accessible();
  });

  it('asks for the place when a postcode spans districts, then looks up the chosen one', async () => {
    const { root, urls, search } = await render('de', {
      '?postcode=03058&carrier=any': { status: 'choose_place', postcode: '03058', places: [{ name: 'Kiekebusch', areaKey: '12052', districtName: 'Kreisfreie Stadt Cottbus' }, { name: 'Gablenz', areaKey: '12071', districtName: 'Landkreis Spree-Neiße' }] },
      '?postcode=03058&carrier=any&area=12071': found([office({ name: 'Spree-Neiße' })]),
    });
    await search('03058');
    expect(root.querySelector('[part="results"]')!.textContent).to.contain('Wo wohnen Sie?');
    [...root.querySelectorAll<HTMLButtonElement>('.places button')].find((b) => b.textContent!.includes('Gablenz'))!.click();
    await waitUntil(() => root.querySelector('[part="office"]'), 'no office');
    expect(urls.at(-1)).to.equal('/api/public/offices/lookup?postcode=03058&carrier=any&area=12071');
    expect(root.querySelector('[part="office"] h3')!.textContent).to.equal('Spree-Neiße');
  });

  it('gives malformed, unknown, post-box and unanswerable postcodes their own clear answer', async () => {
    const { root, search } = await render('en', {
      '?postcode=123&carrier=any': 400,
      '?postcode=99095&carrier=any': { status: 'unknown', postcode: '99095' },
      '?postcode=07740&carrier=any': { status: 'po_box', postcode: '07740' },
      '?postcode=24103&carrier=any': { status: 'none', postcode: '24103', district: { key: '01002', name: 'Kiel', level: 'district' }, state: { key: '01', name: 'Schleswig-Holstein', level: 'state' }, attribution: '' },
      '?postcode=50667&carrier=any': 500,
    });
    const answer = () => root.querySelector('[part="results"]')!.textContent!.trim();
    await search('123');
    expect(answer()).to.contain('five digits');
    await search('99095');
    expect(answer()).to.contain('We do not know this postcode');
    await search('07740');
    expect(answer()).to.contain('post boxes or large organisations');
    await search('24103');
    expect(answer()).to.contain('No office is responsible for Kiel yet');
    await search('50667');
    expect(answer()).to.contain('not available right now');
  });

  it('is right-to-left and accessible in Arabic', async () => {
    const { el, root, search } = await render('ar', { '?postcode=10115&carrier=any': found([office()]) });
    await search('10115');
    expect(getComputedStyle(root.querySelector('h2')!).direction).to.equal('rtl');
    expect(root.querySelector('[part="office"]')!.textContent).to.contain('اتصال');
    await expect(el).to.be.accessible();
  });
});
