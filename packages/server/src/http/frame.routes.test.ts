import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, type TestServer } from '../test-support/harness.js';

// A widget build of our own: the server reads the chat's texts from <widget dir>/locales.
const widgetDir = mkdtempSync(join(tmpdir(), 'direturn-widget-'));
mkdirSync(join(widgetDir, 'locales'));
const texts = (title: string, label: string) => ({
  app: { title, intro: 'Intro </script><img src=x onerror=alert(1)>' },
  connection: { connecting: 'Connecting…' },
  composer: { label, placeholder: 'Write…' },
  privacy: { heading: `${title}: privacy`, retention_one: '{{count}} day', retention_other: '{{count}} days' },
});
writeFileSync(join(widgetDir, 'locales', 'de.json'), JSON.stringify(texts('Rückkehrberatung', 'Ihre Nachricht')));
const arabicRefusals = {
  unavailableTitle: 'المحادثة غير متاحة',
  badEmbed: 'تم تضمين المحادثة بشكل غير صحيح ({{detail}}).',
  notAllowed: 'لا يسمح هذا الموقع بعرض أداة المحادثة على {{origin}}. يمكن لمشغّل الموقع تغيير ذلك في DiReturn.',
  unknownSite: 'لا يوجد موقع مسجّل بهذا المفتاح. يمكن لمشغّل الموقع تغيير ذلك في DiReturn.',
};
writeFileSync(join(widgetDir, 'locales', 'ar.json'), JSON.stringify({ ...texts('استشارات العودة', 'رسالتك'), frame: arabicRefusals }));

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ env: { DIRETURN_WIDGET_DIR: widgetDir } });
});
afterAll(() => t?.stop());

const frame = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/widget/frame?site=demo&host=${encodeURIComponent(t.origin)}${query}`, { headers });

describe('chat frame document', () => {
  it('renders a first screen with a labelled composer in the language the page asked for', async () => {
    const res = await frame('&lang=ar&pagelang=de');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl"');
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<h1>استشارات العودة</h1>');
    expect(html).toMatch(/<label for="direturn-first-text">رسالتك<\/label><textarea id="direturn-first-text"/);
  });

  it('takes the page language, then the browser languages, then the site default', async () => {
    expect(await (await frame('&pagelang=ar', { 'Accept-Language': 'de' })).text()).toContain('<html lang="ar"');
    expect(await (await frame('', { 'Accept-Language': 'xx, ar;q=0.8, de;q=0.5' })).text()).toContain('<html lang="ar"');
    // regional tags and aliases count, as in the chat's own choice
    expect(await (await frame('', { 'Accept-Language': 'ar-SY' })).text()).toContain('<html lang="ar"');
    expect(await (await frame('', { 'Accept-Language': 'xx-YY, ar-EG;q=0.3, de-AT;q=0.7' })).text()).toContain('<html lang="de"');
    const fallback = await frame('', { 'Accept-Language': 'xx' });
    expect(await fallback.text()).toContain('<html lang="de"');
    expect(fallback.headers.get('vary')).toContain('Accept-Language');
  });

  it('carries the texts inline as data that cannot close its element, and escapes them in the markup', async () => {
    const html = await (await frame('&lang=de')).text();
    const block = /<script type="application\/json" id="direturn-texts" data-lang="de">(.*?)<\/script>/s.exec(html);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(texts('Rückkehrberatung', 'Ihre Nachricht'));
    // the only "</script>" sequences are the ones the server wrote
    expect(html.match(/<\/script>/g)).toHaveLength(3); // module, data block, focus script
    expect(html).toContain('Intro &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it("colours the first screen's header only with hex colours from the query, keeping the text readable", async () => {
    const themed = (query: string) => frame(`&lang=de${query}`).then((r) => r.text());
    // no text colour given: black or white, whichever contrasts more
    expect(await themed('&accent=%237a1f2b')).toContain('style="--accent:#7a1f2b;--accent-contrast:#ffffff"');
    expect(await themed('&accent=%23ffd54f')).toContain('style="--accent:#ffd54f;--accent-contrast:#000000"');
    // a pair that reaches 4.5:1 is kept, one that does not is replaced
    expect(await themed('&accent=%23004d40&contrast=%23e0f2f1')).toContain('style="--accent:#004d40;--accent-contrast:#e0f2f1"');
    expect(await themed('&accent=%23ffd54f&contrast=%23ffffff')).toContain('style="--accent:#ffd54f;--accent-contrast:#000000"');
    const odd = await themed('&accent=red%3Bbackground%3Aurl(https%3A%2F%2Fevil.example)');
    expect(odd).not.toContain('evil.example');
    expect(odd).not.toContain('--accent:');
  });

  it("shows the privacy notice before the visitor can send: the operator's text, its retention, its links", async () => {
    const cookie = await login(t);
    const set = await api(t, cookie, 'PUT', '/privacy-notices', {
      siteId: null,
      language: 'de',
      text: 'Erster Absatz <b>fett</b>\n\nZweiter Absatz',
      links: [{ label: 'Datenschutz', url: 'https://partner.example/datenschutz' }],
    });
    expect(set.status).toBe(200);
    const html = await (await frame('&lang=de')).text();
    const screen = html.slice(html.indexOf('<div id="direturn-first">'));
    expect(screen.indexOf('<h2 id="direturn-first-privacy">Rückkehrberatung: privacy</h2>')).toBeLessThan(screen.indexOf('<textarea'));
    expect(screen).toContain('<p dir="auto" lang="de">Erster Absatz &lt;b&gt;fett&lt;/b&gt;</p><p dir="auto" lang="de">Zweiter Absatz</p>');
    expect(screen).toMatch(/<p>\d+ days<\/p>/);
    expect(screen).toContain('<a href="https://partner.example/datenschutz" target="_blank" rel="noopener noreferrer" dir="auto">Datenschutz</a>');
  });

  it('still serves the chat without a first screen for a language the build has no texts for', async () => {
    const html = await (await frame('&lang=ru')).text();
    expect(html).toContain('<html lang="ru"');
    expect(html).toContain('<script type="module" src="/widget/chat.js"></script>');
    expect(html).not.toContain('direturn-first');
  });

  it("lets exactly the first screen's focus script run inline, by its hash, and no other", async () => {
    const scriptSrc = (res: Response) =>
      /(?:^|;)\s*script-src ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')![1]!.trim().split(/\s+/);
    const res = await frame('&lang=de');
    const html = await res.text();
    // every executable inline script (not the JSON data block, not the module with src)
    const inline = [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]!);
    expect(inline).toEqual(['document.getElementById("direturn-first-text").focus()']);
    const hash = `'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`;
    expect(scriptSrc(res)).toEqual(["'self'", hash]);
    // it runs after the field it focuses exists
    expect(html.indexOf('<script>')).toBeGreaterThan(html.indexOf('id="direturn-first-text"'));
    // without a first screen there is nothing to allow
    expect(scriptSrc(await frame('&lang=ru'))).toEqual(["'self'"]);
  });
});

describe('chat frame refusals', () => {
  const refused = (query: string, headers: Record<string, string> = {}) => fetch(`${t.url}/widget/frame?${query}`, { headers });
  const evil = `site=demo&host=${encodeURIComponent('https://evil.example')}`;

  it('are in English by default (built-in texts when the widget build has none)', async () => {
    const res = await refused(evil);
    expect(res.status).toBe(403);
    expect(res.headers.get('vary')).toContain('Accept-Language');
    const html = await res.text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('<title>Chat unavailable</title>');
    expect(html).toContain('This site does not allow the widget on <bdi>https://evil.example</bdi>. The site&#39;s operator can change this in DiReturn.');
    const unknown = await refused(`site=nope&host=${encodeURIComponent(t.origin)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No site is registered under this key.');
    const bad = await refused('host=x');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/The chat was embedded incorrectly \(<bdi>[^<]+<\/bdi>\)\./);
  });

  it('speak the language asked for (lang, then Accept-Language), right to left for Arabic', async () => {
    const html = await (await refused(evil, { 'Accept-Language': 'ar, de;q=0.5' })).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(`<title>${arabicRefusals.unavailableTitle}</title><`);
    expect(html).toContain(`<h1 style="font-size:1rem">${arabicRefusals.unavailableTitle}</h1>`);
    expect(html).toContain('لا يسمح هذا الموقع بعرض أداة المحادثة على <bdi>https://evil.example</bdi>. يمكن لمشغّل الموقع تغيير ذلك في DiReturn.');
    expect(await (await refused(`${evil}&lang=ar`, { 'Accept-Language': 'en' })).text()).toContain('<html lang="ar" dir="rtl">');
    expect(await (await refused(`site=nope&host=x&lang=ar-SY`)).text()).toContain(arabicRefusals.unknownSite);
    expect(await (await refused(`site=&lang=ar`)).text()).toContain('تم تضمين المحادثة بشكل غير صحيح (<bdi>');
    // a language without texts in the build does not win over one with texts
    expect(await (await refused(`${evil}&lang=ru`, { 'Accept-Language': 'ru, ar;q=0.8' })).text()).toContain('<html lang="ar" dir="rtl">');
  });

  it('escape what the query held', async () => {
    const html = await (await refused(`site=demo&host=${encodeURIComponent('<img src=x onerror=alert(1)>{{origin}}')}&lang=ar`)).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('<bdi>&lt;img src=x onerror=alert(1)&gt;{{origin}}</bdi>');
  });
});
