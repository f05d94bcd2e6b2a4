import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WelcomeFrame } from '@direturn/protocol';
import { api, FrameClient, login, startTestServer, visitor, wsUrl, type TestServer, type VisitorClient } from '../test-support/harness.js';

let t: TestServer;
beforeEach(async () => {
  t = await startTestServer({ env: { DIRETURN_PUBLIC_URL: 'https://chat.example.org', DIRETURN_ALLOWED_HOSTS: 'localhost' } });
});
afterEach(async () => {
  await t.stop();
});

/** A visitor's first frame on the demo site: the welcome, or the error that refuses it. */
async function hello(language = 'de'): Promise<{ client: VisitorClient; first: WelcomeFrame | { type: 'error'; code: string } }> {
  const client = (await FrameClient.open(wsUrl(t.url, '/ws/visitor'))) as VisitorClient;
  client.send({ type: 'hello', site: 'demo', origin: t.origin, language });
  const first = await Promise.race([client.next('welcome'), client.next('error')]);
  return { client, first: first as WelcomeFrame | { type: 'error'; code: string } };
}

const demoId = async (admin: string): Promise<string> => (await api(t, admin, 'GET', '/sites')).json.sites.find((s: { key: string }) => s.key === 'demo').id;
const CLOSED_ALL_WEEK = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

describe('sites API (admins)', () => {
  it('lists sites with the configured public address for the snippet, and creates, edits and audits them', async () => {
    const admin = await login(t);
    const list = await api(t, admin, 'GET', '/sites');
    expect(list.json.publicUrl).toBe('https://chat.example.org');
    expect(list.json.sites[0]).toMatchObject({ key: 'demo', enabled: true, timeZone: 'Europe/Berlin', openingHours: null, awayMessages: {} });

    const created = await api(t, admin, 'POST', '/sites', { name: 'Caritas Augsburg', allowedOrigins: ['https://caritas-augsburg.example/'] });
    expect(created.status).toBe(201);
    expect(created.json.site).toMatchObject({ name: 'Caritas Augsburg', allowedOrigins: ['https://caritas-augsburg.example'], enabled: true, defaultLanguage: 'de' });
    const id = created.json.site.id;

    const hours = { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '16:00' }], thu: [{ from: '12:00', to: '18:00' }] };
    const edited = await api(t, admin, 'PATCH', `/sites/${id}`, {
      name: 'Caritas Augsburg – Rückkehrberatung',
      allowedOrigins: ['https://caritas-augsburg.example', 'https://www.caritas-augsburg.example'],
      defaultLanguage: 'ar',
      openingHours: hours,
      timeZone: 'Europe/Berlin',
      awayMessages: { de: 'Heute geschlossen. Schreiben Sie trotzdem.', en: '' },
      enabled: false,
    });
    expect(edited.status).toBe(200);
    expect(edited.json.site).toMatchObject({ name: 'Caritas Augsburg – Rückkehrberatung', defaultLanguage: 'ar', openingHours: hours, awayMessages: { de: 'Heute geschlossen. Schreiben Sie trotzdem.' }, enabled: false });
    expect((await api(t, admin, 'GET', '/sites')).json.sites.find((s: { id: string }) => s.id === id)).toEqual(edited.json.site);

    const entries = (await api(t, admin, 'GET', '/audit')).json.entries as Array<{ action: string; details: Record<string, unknown> }>;
    expect(entries.find((e) => e.action === 'site.updated')?.details).toMatchObject({ site: created.json.site.key, enabled: false, fields: 'allowedOrigins,awayMessages,defaultLanguage,enabled,name,openingHours,timeZone' });
    expect(entries.some((e) => e.action === 'site.created')).toBe(true);
  });

  it('refuses bad input with codes and writes nothing', async () => {
    const admin = await login(t);
    const id = await demoId(admin);
    const before = (await api(t, admin, 'GET', '/sites')).json.sites;
    const bad = await api(t, admin, 'PATCH', `/sites/${id}`, { name: 'Neu', allowedOrigins: ['https://ok.example', 'ftp://x'], openingHours: { mon: [{ from: '17:00', to: '09:00' }] }, timeZone: 'Berlin' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([
      { path: 'allowedOrigins.1', code: 'invalid_origin' },
      { path: 'timeZone', code: 'invalid_time_zone' },
      { path: 'openingHours.mon.0.to', code: 'hours_order' },
    ]);
    expect((await api(t, admin, 'GET', '/sites')).json.sites).toEqual(before);
    expect((await api(t, admin, 'PATCH', `/sites/00000000-0000-4000-8000-000000000000`, { name: 'x' })).status).toBe(404);
    expect((await api(t, admin, 'PATCH', `/sites/demo`, { name: 'x' })).status).toBe(400);
  });

  it('keeps sites from counsellors', async () => {
    const admin = await login(t);
    await t.running.services.agents.create({ email: 'c@example.org', name: 'Cem', password: 'a long enough password', role: 'counsellor', languages: ['de'] });
    const counsellor = await login(t, 'c@example.org', 'a long enough password');
    const id = await demoId(admin);
    expect((await api(t, counsellor, 'PATCH', `/sites/${id}`, { enabled: false })).status).toBe(403);
    expect((await api(t, counsellor, 'DELETE', `/sites/${id}`)).status).toBe(403);
    expect((await api(t, counsellor, 'GET', '/sites/away-defaults')).status).toBe(403);
  });

  it('removes a site without conversations; a site with conversations can only be disabled', async () => {
    const admin = await login(t);
    const spare = (await api(t, admin, 'POST', '/sites', { name: 'Spare', allowedOrigins: ['https://spare.example'] })).json.site;
    expect((await api(t, admin, 'DELETE', `/sites/${spare.id}`)).status).toBe(204);
    expect((await api(t, admin, 'GET', '/sites')).json.sites.some((s: { id: string }) => s.id === spare.id)).toBe(false);

    const v = await visitor(t);
    v.client.send({ type: 'send', clientId: 'first-message', body: 'Hallo' });
    await v.client.next('ack');
    const id = await demoId(admin);
    const refused = await api(t, admin, 'DELETE', `/sites/${id}`);
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'site_in_use' } } });
    expect((await api(t, admin, 'GET', '/sites')).json.sites.some((s: { id: string }) => s.id === id)).toBe(true);
    v.client.close();
    const entries = (await api(t, admin, 'GET', '/audit')).json.entries as Array<{ action: string; details: Record<string, unknown> }>;
    expect(entries.filter((e) => e.action === 'site.removed').map((e) => e.details.site)).toEqual([spare.key]);
  });

  it('serves the built-in away messages in every shipped language', async () => {
    const defaults = (await api(t, await login(t), 'GET', '/sites/away-defaults')).json.defaults;
    expect(Object.keys(defaults)).toHaveLength(13);
    expect(defaults.ps).toMatch(/[\u0600-\u06FF]/);
  });
});

describe('the widget and a site’s settings', () => {
  it('a disabled site’s widget is refused', async () => {
    const admin = await login(t);
    await api(t, admin, 'PATCH', `/sites/${await demoId(admin)}`, { enabled: false });
    const refused = await hello();
    expect(refused.first).toMatchObject({ type: 'error', code: 'unknown_site' });
    await refused.client.closed;
  });

  it('outside the opening hours the welcome carries the away message in the visitor’s language, with when counsellors are back', async () => {
    const admin = await login(t);
    const id = await demoId(admin);
    // Open only in a period that is never now: an hour's window 12 hours from now, in UTC.
    const h = (new Date().getUTCHours() + 12) % 24;
    const period = { from: `${String(h).padStart(2, '0')}:00`, to: `${String(h).padStart(2, '0')}:59` };
    const week = Object.fromEntries(Object.keys(CLOSED_ALL_WEEK).map((d) => [d, [period]]));
    await api(t, admin, 'PATCH', `/sites/${id}`, { openingHours: week, timeZone: 'UTC', awayMessages: { tr: 'Şu an kapalıyız, yine de yazın.' } });

    const de = await hello('de');
    const welcomeDe = de.first as WelcomeFrame;
    expect(welcomeDe.away?.text).toMatch(/^Wieder erreichbar: .+ UTC\. Unsere Beraterinnen und Berater sind gerade nicht erreichbar\. Sie können trotzdem schreiben/);
    expect(welcomeDe.away!.backAt! - Date.now()).toBeGreaterThan(10 * 3_600_000);
    expect(new Date(welcomeDe.away!.backAt!).getUTCHours()).toBe(h);
    de.client.close();

    const tr = await hello('tr');
    expect((tr.first as WelcomeFrame).away?.text).toMatch(/^Yeniden ulaşılabilir: .+ Şu an kapalıyız, yine de yazın\.$/);
    // Writing still works while closed.
    tr.client.send({ type: 'send', clientId: 'while-closed', body: 'Merhaba' });
    expect((await tr.client.next('ack')).message.body).toBe('Merhaba');
    tr.client.close();

    await api(t, admin, 'PATCH', `/sites/${id}`, { openingHours: null });
    const open = await hello();
    expect(open.first).not.toHaveProperty('away');
    open.client.close();
  });
});
