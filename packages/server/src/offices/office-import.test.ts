import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeAdminDto, OfficeImportReport } from '@direturn/protocol';
import { api, login, startTestServer, type TestServer } from '../test-support/harness.js';

let t: TestServer;
let admin: string;

async function importFile(format: 'csv' | 'json', body: string, dryRun = false): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.url}/api/offices/import?format=${format}${dryRun ? '&dryRun=1' : ''}`, {
    method: 'POST',
    headers: { cookie: admin, 'content-type': format === 'csv' ? 'text/csv' : 'application/json' },
    body,
  });
  return { status: res.status, json: await res.json() };
}
const list = async (): Promise<OfficeAdminDto[]> => (await api(t, admin, 'GET', '/offices')).json.offices;
const exportFile = async (format: 'csv' | 'json'): Promise<string> => {
  const res = await fetch(`${t.url}/api/offices/export?format=${format}`, { headers: { cookie: admin } });
  expect(res.status).toBe(200);
  return res.text();
};

const HEADER = 'name,organisation,carrier,street,postal_code,city,latitude,longitude,phone,email,website,opening_hours,languages,target_groups,channels,note,area_keys,active,fallback,example';
const GOOD = [
  'Beratung Nord,Verein Nord e. V.,non_state,Weg 1,24103,Kiel,54.32,10.13,+49 000 1,nord@example.org,https://example.org,"Mo–Fr 9–12, Do 14–18",de;ar;prs,Familien;Alleinstehende,in_person;phone,,01002;01003,yes,no,yes',
  'Beratung Süd,Landesamt Süd,state,,,,,,,sued@example.org,,,de,,video,"Nur für Menschen in Unterkunft ""Am Hang""",091,true,false,true',
];

beforeAll(async () => {
  t = await startTestServer({ env: { DIRETURN_EXAMPLE_OFFICES: 'false' } });
  admin = await login(t);
});
afterAll(() => t.stop());

describe('office import', () => {
  it('rejects a file with bad rows as a whole, saying which rows and why; nothing is half-imported', async () => {
    const csv = [
      HEADER,
      GOOD[0],
      'No carrier,Org,church,,,,,,,,,,de,,,,11,yes,no,no', // row 2: carrier
      'Lost zero,Org,state,,,,,,,,,,de,,,,9162,yes,no,no', // row 3: spreadsheet dropped the zero
      ',Org,state,,,,,,,not-an-address,,,de,,,,11,maybe,no,no', // row 4: name, e-mail, active
      'Unknown district,Org,state,,,,,,,,,,de,,,,09999,yes,no,no', // row 5
      GOOD[1],
      'Too few cells,Org', // row 7
    ].join('\n');
    const { status, json } = await importFile('csv', csv);
    expect(status).toBe(200);
    const report = json as OfficeImportReport;
    expect(report).toMatchObject({ applied: false, rows: 7 });
    expect(report.rejected.map((r) => r.row)).toEqual([2, 3, 4, 5, 7]);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.row, r.reasons.join(' | ')]));
    expect(reasons[2]).toMatch(/carrier: must be state or non_state/);
    expect(reasons[3]).toMatch(/9162.*leading zero.*09162/);
    expect(reasons[4]).toMatch(/active: "maybe" is not yes\/no/);
    expect(reasons[4]).toMatch(/name: must not be empty/);
    expect(reasons[4]).toMatch(/email: must be an e-mail address/);
    expect(reasons[5]).toMatch(/area key 09999 is not a known district/);
    expect(reasons[7]).toMatch(/has 2 cells, the header has 20/);
    expect(report.created.map((c) => c.row)).toEqual([1, 6]);
    expect(await list()).toEqual([]);
  });

  it('imports a valid file in one go, a dry run writes nothing, and German spreadsheet CSV (semicolons) works', async () => {
    const csv = [HEADER, ...GOOD].join('\r\n');
    const dry = (await importFile('csv', csv, true)).json as OfficeImportReport;
    expect(dry).toMatchObject({ dryRun: true, applied: false, rejected: [] });
    expect(dry.created).toHaveLength(2);
    expect(await list()).toEqual([]);

    const done = (await importFile('csv', csv)).json as OfficeImportReport;
    expect(done).toMatchObject({ applied: true, rejected: [], updated: [] });
    const offices = await list();
    expect(offices.map((o) => o.name)).toEqual(['Beratung Nord', 'Beratung Süd']);
    expect(offices[0]).toMatchObject({
      carrier: 'non_state',
      address: { street: 'Weg 1', postalCode: '24103', city: 'Kiel' },
      latitude: 54.32,
      openingHours: 'Mo–Fr 9–12, Do 14–18',
      languages: ['de', 'ar', 'prs'],
      targetGroups: ['Familien', 'Alleinstehende'],
      channels: ['in_person', 'phone'],
      areaKeys: ['01002', '01003'],
      example: true,
    });
    expect(offices[1]!.note).toBe('Nur für Menschen in Unterkunft "Am Hang"');

    const german = '\uFEFFname;organisation;carrier;area_keys;latitude\nBeratung West;Verein;non_state;"05315";50,9375\n';
    const w = (await importFile('csv', german)).json as OfficeImportReport;
    expect(w).toMatchObject({ applied: true, rejected: [] });
    expect((await list()).find((o) => o.name === 'Beratung West')).toMatchObject({ latitude: 50.9375, areaKeys: ['05315'], active: true, fallback: false });
  });

  it('round-trips: export as CSV and JSON, import again, and every office is updated with nothing changed', async () => {
    const before = await list();
    for (const format of ['csv', 'json'] as const) {
      const file = await exportFile(format);
      const report = (await importFile(format, file)).json as OfficeImportReport;
      expect(report).toMatchObject({ applied: true, rejected: [], created: [] });
      expect(report.updated.map((u) => u.id).sort()).toEqual(before.map((o) => o.id).sort());
      const after = await list();
      expect(after.map(({ updatedAt: _u, ...o }) => o)).toEqual(before.map(({ updatedAt: _u, ...o }) => o));
    }
    // Into an empty installation the same file creates the offices with their ids.
    const other = await startTestServer({ env: { DIRETURN_EXAMPLE_OFFICES: 'false' } });
    try {
      const otherAdmin = await login(other);
      const res = await fetch(`${other.url}/api/offices/import?format=json`, { method: 'POST', headers: { cookie: otherAdmin }, body: await exportFile('json') });
      const report = (await res.json()) as OfficeImportReport;
      expect(report.created.map((c) => c.id).sort()).toEqual(before.map((o) => o.id).sort());
    } finally {
      await other.stop();
    }
  });

  it('explains files it cannot read, refuses duplicate ids and non-admins', async () => {
    expect((await importFile('csv', 'nom,carrier\nx,state')).json.error.message).toMatch(/Unknown column\(s\): nom/);
    expect((await importFile('csv', 'name,organisation,carrier,area_keys\n"unclosed,Org,state,11')).json.error.message).toMatch(/not valid CSV/);
    expect((await importFile('json', '{"offices": 3}')).json.error.message).toMatch(/array of offices/);
    expect((await importFile('json', '[1')).status).toBe(400);
    const [first] = await list();
    const dup = (await importFile('json', JSON.stringify([{ ...first, id: first!.id }, { ...first, id: first!.id }]))).json;
    expect(dup.applied).toBe(false);
    expect(dup.rejected).toEqual([{ row: 2, name: first!.name, reasons: ['id: the same office id as row 1'] }]);
    await api(t, admin, 'POST', '/agents', { email: 'c2@example.org', name: 'C', password: 'a long enough password', role: 'counsellor' });
    const counsellor = await login(t, 'c2@example.org', 'a long enough password');
    const res = await fetch(`${t.url}/api/offices/import?format=csv`, { method: 'POST', headers: { cookie: counsellor }, body: [HEADER, GOOD[0]].join('\n') });
    expect(res.status).toBe(403);
  });
});
