import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/harness.js';

// A widget build of our own: the server reads the chat's texts from <widget dir>/locales.
const widgetDir = mkdtempSync(join(tmpdir(), 'direturn-widget-'));
mkdirSync(join(widgetDir, 'locales'));
const texts = (title: string, label: string) => ({
  app: { title, intro: 'Intro </script><img src=x onerror=alert(1)>' },
  connection: { connecting: 'Connecting…' },
  composer: { label, placeholder: 'Write…' },
});
writeFileSync(join(widgetDir, 'locales', 'de.json'), JSON.stringify(texts('Rückkehrberatung', 'Ihre Nachricht')));
writeFileSync(join(widgetDir, 'locales', 'ar.json'), JSON.stringify(texts('استشارات العودة', 'رسالتك')));

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
    expect(html).toContain('<h1>استشارات العودة</h1>');
    expect(html).toMatch(/<label for="direturn-first-text">رسالتك<\/label><textarea id="direturn-first-text"/);
  });

  it('takes the page language, then the browser languages, then the site default', async () => {
    expect(await (await frame('&pagelang=ar', { 'Accept-Language': 'de' })).text()).toContain('<html lang="ar"');
    expect(await (await frame('', { 'Accept-Language': 'xx, ar;q=0.8, de;q=0.5' })).text()).toContain('<html lang="ar"');
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
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('Intro &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('uses only plain colours from the query for the first screen', async () => {
    expect(await (await frame('&lang=de&accent=%237a1f2b')).text()).toContain('style="--accent:#7a1f2b"');
    const odd = await (await frame('&lang=de&accent=red%3Bbackground%3Aurl(https%3A%2F%2Fevil.example)')).text();
    expect(odd).not.toContain('evil.example');
  });

  it('still serves the chat without a first screen for a language the build has no texts for', async () => {
    const html = await (await frame('&lang=ru')).text();
    expect(html).toContain('<html lang="ru"');
    expect(html).toContain('<script type="module" src="/widget/chat.js"></script>');
    expect(html).not.toContain('direturn-first');
  });
});
