import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeAdminDto, OfficeLookupResponse } from '@direturn/protocol';
import { api, login, startTestServer, type TestServer } from '../test-support/harness.js';

// The lookup against the shipped postcode table (GeoNames), on SQLite and PostgreSQL.

let t: TestServer;
let admin: string;

const office = (name: string, areaKeys: string[], more: Record<string, unknown> = {}) => ({
  name,
  organisation: `${name} e. V.`,
  carrier: 'non_state',
  areaKeys,
  email: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}@example.org`,
  ...more,
});

async function create(body: Record<string, unknown>): Promise<OfficeAdminDto> {
  const res = await api(t, admin, 'POST', '/offices', body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.office as OfficeAdminDto;
}

async function lookup(query: string): Promise<OfficeLookupResponse> {
  const res = await fetch(`${t.url}/api/public/offices/lookup?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as OfficeLookupResponse;
}

const names = (r: OfficeLookupResponse) => (r.status === 'found' ? r.offices.map((o) => o.name) : []);

beforeAll(async () => {
  t = await startTestServer({ env: { DIRETURN_EXAMPLE_OFFICES: 'false' } });
  admin = await login(t);
  await create(office('Cottbus', ['12052'], { carrier: 'state' }));
  await create(office('Spree-Neisse', ['12071']));
  await create(office('Berlin', ['11']));
  await create(office('Hamburg', ['02']));
  await create(office('Bremen', ['04']));
  await create(office('Bayern', ['09'], { carrier: 'state', latitude: 49.45, longitude: 11.08 }));
  // Oberbayern: two centres, the person may choose; Rosenheim is nearer to Rosenheim, München to München.
  await create(office('Oberbayern Muenchen', ['091'], { carrier: 'state', latitude: 48.137, longitude: 11.576 }));
  await create(office('Oberbayern Rosenheim', ['091'], { carrier: 'non_state', latitude: 47.856, longitude: 12.129 }));
  await create(office('Nordrhein-Westfalen', ['05']));
  await create(office('Koeln', ['05315']));
  const closed = await create(office('Koeln closed', ['05315']));
  await api(t, admin, 'PATCH', `/offices/${closed.id}`, { active: false });
});
afterAll(() => t.stop());

describe('postcode lookup', () => {
  it('asks which place when a postcode spans two districts with different offices, then answers for the chosen one', async () => {
    const r = await lookup('postcode=03058');
    expect(r.status).toBe('choose_place');
    if (r.status !== 'choose_place') return;
    expect(new Set(r.places.map((p) => p.areaKey))).toEqual(new Set(['12052', '12071']));
    expect(r.places).toContainEqual({ name: 'Kiekebusch', areaKey: '12052', districtName: 'Kreisfreie Stadt Cottbus' });
    expect(r.places).toContainEqual({ name: 'Gablenz', areaKey: '12071', districtName: 'Landkreis Spree-Neiße' });

    const cottbus = await lookup('postcode=03058&area=12052');
    expect(cottbus).toMatchObject({ status: 'found', match: 'district', district: { key: '12052', name: 'Kreisfreie Stadt Cottbus' }, state: { key: '12', name: 'Brandenburg' } });
    expect(names(cottbus)).toEqual(['Cottbus']);
    expect(names(await lookup('postcode=03058&area=12071'))).toEqual(['Spree-Neisse']);
  });

  it('gives unknown, post-box and malformed postcodes each their own answer', async () => {
    expect(await lookup('postcode=99095')).toEqual({ status: 'unknown', postcode: '99095' }); // missing from GeoNames
    expect(await lookup('postcode=07740')).toEqual({ status: 'po_box', postcode: '07740' }); // Jena: large recipients only
    expect(await lookup('postcode=1234')).toEqual({ status: 'malformed' });
    expect(await lookup('postcode=abcde')).toEqual({ status: 'malformed' });
    expect(await lookup(`postcode=${encodeURIComponent(' D-10115 ')}`)).toMatchObject({ status: 'found', postcode: '10115' });
    const bad = await fetch(`${t.url}/api/public/offices/lookup?postcode=10115&carrier=church`);
    expect(bad.status).toBe(400);
  });

  it('finds the office of a city-state: Berlin, Hamburg, Bremen and Bremerhaven', async () => {
    expect(names(await lookup('postcode=10115'))).toEqual(['Berlin']);
    expect(names(await lookup('postcode=20095'))).toEqual(['Hamburg']);
    expect(names(await lookup('postcode=28195'))).toEqual(['Bremen']);
    const bremerhaven = await lookup('postcode=27568');
    expect(names(bremerhaven)).toEqual(['Bremen']);
    expect(bremerhaven).toMatchObject({ match: 'state', district: { key: '04012' } });
  });

  it('lists every centre of a Bavarian government district, ordered by carrier preference and distance', async () => {
    const munich = await lookup('postcode=80331');
    expect(munich).toMatchObject({ status: 'found', match: 'region' });
    expect(names(munich)).toEqual(['Oberbayern Muenchen', 'Oberbayern Rosenheim']);
    if (munich.status === 'found') expect(munich.offices[0]!.distanceKm).toBeLessThan(2);
    expect(names(await lookup('postcode=83022'))).toEqual(['Oberbayern Rosenheim', 'Oberbayern Muenchen']); // Rosenheim: nearest first
    expect(names(await lookup('postcode=80331&carrier=non_state'))).toEqual(['Oberbayern Rosenheim', 'Oberbayern Muenchen']);
    expect(names(await lookup('postcode=83022&carrier=state'))).toEqual(['Oberbayern Muenchen', 'Oberbayern Rosenheim']);
    // Nürnberg lies in Mittelfranken (095): no centre there, the state-wide office answers.
    expect(await lookup('postcode=90402')).toMatchObject({ status: 'found', match: 'state' });
    expect(names(await lookup('postcode=90402'))).toEqual(['Bayern']);
  });

  it('takes the most specific area: a district office wins over the state office; inactive offices are never offered', async () => {
    const cologne = await lookup('postcode=50667');
    expect(cologne).toMatchObject({ match: 'district', district: { key: '05315' } });
    expect(names(cologne)).toEqual(['Koeln']);
    expect(names(await lookup('postcode=53111'))).toEqual(['Nordrhein-Westfalen']); // Bonn
  });

  it('offers the fallback office where nobody is responsible, and says so when there is none', async () => {
    const kiel = await lookup('postcode=24103');
    expect(kiel).toMatchObject({ status: 'none', district: { key: '01002' }, state: { key: '01', name: 'Schleswig-Holstein' } });
    const central = await create(office('Central', [], { fallback: true }));
    const again = await lookup('postcode=24103');
    expect(again).toMatchObject({ status: 'found', match: 'fallback' });
    expect(names(again)).toEqual(['Central']);
    expect(names(await lookup('postcode=10115'))).toEqual(['Berlin']); // not where someone is responsible
    await api(t, admin, 'PATCH', `/offices/${central.id}`, { active: false });
    expect((await lookup('postcode=24103')).status).toBe('none');
  });

  it('does not ask when every place of a multi-district postcode has the same offices', async () => {
    // 14715 spans Havelland (12063, Brandenburg) and Stendal (15090, Sachsen-Anhalt).
    const havelland = await create(office('Havelland', ['12063']));
    expect((await lookup('postcode=14715')).status).toBe('choose_place');
    await api(t, admin, 'PATCH', `/offices/${havelland.id}`, { active: false });
    const de = await create(office('Everywhere', ['12', '15']));
    const r = await lookup('postcode=14715');
    expect(r).toMatchObject({ status: 'found', match: 'state' });
    expect(names(r)).toEqual(['Everywhere']);
    await api(t, admin, 'PATCH', `/offices/${de.id}`, { active: false });
  });

  it('shows admins the gaps: districts and states without a responsible office', async () => {
    const res = await api(t, admin, 'GET', '/offices/coverage');
    expect(res.status).toBe(200);
    const report = res.json;
    expect(report.districts).toBe(400);
    const uncovered = new Set(report.uncoveredDistricts.map((d: { key: string }) => d.key));
    expect(uncovered.has('01002')).toBe(true); // Kiel
    expect(uncovered.has('12071')).toBe(false); // Spree-Neiße
    expect(uncovered.has('09162')).toBe(false); // München, through 091
    expect(report.uncoveredStates.map((s: { key: string }) => s.key)).toContain('01');
    expect(report.uncoveredStates.map((s: { key: string }) => s.key)).not.toContain('09');
    expect(report.fallbackOffices).toEqual([]); // the only fallback was deactivated
  });
});

describe('office administration', () => {
  it('lets admins create, edit and deactivate, refuses counsellors and unknown area keys', async () => {
    const created = await create(office('Edit me', ['08111']));
    const edited = await api(t, admin, 'PATCH', `/offices/${created.id}`, { phone: '+49 000 123', areaKeys: ['08111', '08115'] });
    expect(edited.json.office).toMatchObject({ phone: '+49 000 123', areaKeys: ['08111', '08115'], active: true });
    const bad = await api(t, admin, 'POST', '/offices', office('Bad', ['09999']));
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues).toEqual(['area key 09999 is not a known district']);
    const zero = await api(t, admin, 'POST', '/offices', office('Zero', ['9162']));
    expect(zero.status).toBe(400);

    await api(t, admin, 'POST', '/agents', { email: 'c@example.org', name: 'C', password: 'a long enough password', role: 'counsellor' });
    const counsellor = await login(t, 'c@example.org', 'a long enough password');
    expect((await api(t, counsellor, 'GET', '/offices')).status).toBe(200);
    expect((await api(t, counsellor, 'PATCH', `/offices/${created.id}`, { active: false })).status).toBe(403);
    expect((await api(t, undefined, 'GET', '/offices')).status).toBe(401);
  });
});
