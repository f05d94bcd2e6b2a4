import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OfficeAdminDto, OfficeImportReport } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-admin-offices.js';
import type { DireturnAdminOffices } from './direturn-admin-offices.js';
import type { DireturnOfficeImport } from './direturn-office-import.js';

const office = (overrides: Partial<OfficeAdminDto> = {}): OfficeAdminDto => ({
  id: 'o1',
  name: 'Beratung Mitte',
  organisation: 'Verein e. V.',
  carrier: 'non_state',
  address: null,
  latitude: null,
  longitude: null,
  phone: null,
  email: 'mitte@example.org',
  website: null,
  openingHours: null,
  languages: ['de'],
  targetGroups: [],
  channels: [],
  note: null,
  example: false,
  active: true,
  fallback: false,
  areaKeys: ['11'],
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

const coverage = { districts: 400, coveredDistricts: 1, uncoveredDistricts: [{ key: '01002', name: 'Kiel', stateKey: '01', stateName: 'Schleswig-Holstein', partly: false }], uncoveredStates: [{ key: '01', name: 'Schleswig-Holstein' }], fallbackOffices: [] };

/** A fake XMLHttpRequest: reports upload progress, then answers. */
function fakeXhr(answer: { status: number; body: unknown }, sent: Array<{ url: string; body: unknown }>) {
  return () => {
    const listeners: Record<string, Array<(e: unknown) => void>> = {};
    const upload: Record<string, Array<(e: unknown) => void>> = {};
    let url = '';
    const xhr = {
      status: 0,
      responseText: '',
      withCredentials: false,
      upload: { addEventListener: (t: string, f: (e: unknown) => void) => (upload[t] ??= []).push(f) },
      open: (_m: string, u: string) => (url = u),
      setRequestHeader: () => undefined,
      addEventListener: (t: string, f: (e: unknown) => void) => (listeners[t] ??= []).push(f),
      send: (body: unknown) => {
        sent.push({ url, body });
        setTimeout(() => upload.progress?.forEach((f) => f({ lengthComputable: true, loaded: 50, total: 100 })), 5);
        setTimeout(() => {
          upload.progress?.forEach((f) => f({ lengthComputable: true, loaded: 100, total: 100 }));
          xhr.status = answer.status;
          xhr.responseText = JSON.stringify(answer.body);
          listeners.load?.forEach((f) => f({}));
        }, 60);
      },
    };
    return xhr as unknown as XMLHttpRequest;
  };
}

async function render(offices: OfficeAdminDto[] = [office()]) {
  let current = offices;
  const stub = stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/offices') return json(200, { offices: current });
    if (method === 'GET' && url === '/api/offices/coverage') return json(200, coverage);
    if (method === 'POST' && url === '/api/offices') {
      const b = body as { areaKeys: string[] };
      if (b.areaKeys.includes('9162')) return json(400, { error: { code: 'bad_request', message: 'The request is not valid.', issues: ['areaKeys.0: must be an official area key'] } });
      const created = office({ id: 'o2', name: 'Neu', areaKeys: b.areaKeys });
      current = [...current, created];
      return json(201, { office: created });
    }
    if (method === 'PATCH' && url === '/api/offices/o1') return json(200, { office: office({ active: (body as { active: boolean }).active }) });
    return undefined;
  });
  const el = await fixture<DireturnAdminOffices>(html`<direturn-admin-offices .api=${new ApiClient({ fetch: stub.fetch })}></direturn-admin-offices>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('tbody tr td')?.textContent?.includes('Beratung Mitte'), 'no table');
  return { el, root, stub };
}

describe('<direturn-admin-offices>', () => {
  before(() => initI18n('en'));

  it('lists offices and deactivates one', async () => {
    const { root, stub } = await render();
    const deactivate = [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Deactivate'))!;
    expect(deactivate.getAttribute('aria-label')).to.equal('Deactivate Beratung Mitte');
    deactivate.click();
    await waitUntil(() => root.querySelector('tr.inactive'), 'not shown as inactive');
    expect(stub.calls.find((c) => c.method === 'PATCH')!.body).to.deep.equal({ active: false });
  });

  it('creates an office and shows the server’s reasons when it refuses one', async () => {
    const { root } = await render();
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('New office'))!.click();
    await waitUntil(() => root.querySelector('direturn-office-form')?.shadowRoot?.querySelector('form'), 'no form');
    const form = root.querySelector('direturn-office-form')!.shadowRoot!;
    const set = (name: string, value: string) => ((form.querySelector(`[name="${name}"]`) as HTMLInputElement).value = value);
    set('name', 'Neu');
    set('organisation', 'Org');
    set('areaKeys', '9162');
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => form.querySelector('[part="error"]'), 'no error');
    expect(form.querySelector('[part="error"]')!.textContent).to.contain('areaKeys.0: must be an official area key');
    set('areaKeys', '09162, 091');
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => [...root.querySelectorAll('tbody tr')].some((tr) => tr.textContent!.includes('09162, 091')), 'not listed');
    expect(root.querySelector('direturn-office-form')).to.equal(null);
  });

  it('shows the coverage gaps', async () => {
    const { root } = await render();
    const cov = root.querySelector('direturn-office-coverage')!.shadowRoot!;
    await waitUntil(() => cov.querySelector('[part="summary"]'), 'no coverage');
    expect(cov.querySelector('[part="summary"]')!.textContent).to.contain('1 of 400 districts');
    expect(cov.textContent).to.contain('No fallback office');
    expect(cov.querySelector('[part="gaps"]')!.textContent).to.contain('01002');
  });

  it('uploads a file with progress and reports every rejected row; nothing was imported', async () => {
    const { root } = await render();
    const report: OfficeImportReport = { format: 'csv', dryRun: false, applied: false, rows: 2, created: [{ row: 1, id: 'x', name: 'A' }], updated: [], rejected: [{ row: 2, name: 'B', reasons: ['carrier: must be state or non_state'] }] };
    const sent: Array<{ url: string; body: unknown }> = [];
    const imp = root.querySelector<DireturnOfficeImport>('direturn-office-import')!;
    imp.xhr = fakeXhr({ status: 200, body: report }, sent);
    await imp.updateComplete;
    const sr = imp.shadowRoot!;
    const input = sr.querySelector<HTMLInputElement>('input[type="file"]')!;
    const dt = new DataTransfer();
    dt.items.add(new File(['name,organisation,carrier,area_keys\nA,O,state,11\nB,O,church,11\n'], 'offices.csv', { type: 'text/csv' }));
    input.files = dt.files;
    sr.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => sr.querySelector('progress'), 'no progress bar');
    await waitUntil(() => sr.querySelector('[part="report"]'), 'no report');
    expect(sent[0]!.url).to.equal('/api/offices/import?format=csv');
    expect(sr.querySelector('[part="report"] h3')!.textContent).to.contain('Nothing was imported');
    expect(sr.querySelector('table.rejected tbody')!.textContent).to.contain('carrier: must be state or non_state');
    expect(sr.activeElement?.id).to.equal('report-title');
  });
});
