/** Parts 1-2: widget weight and host-page impact, measured in Debian's Chromium (playwright-core). */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.ts';
import { AGENT_PASSWORD, freePort, ROOT, type Running } from './servers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// ---------------------------------------------------------------- 1. widget weight

export interface Resource {
  url: string;
  type: string;
  status: number;
  /** What Chromium transferred: response headers + body as sent (the server does not compress yet). */
  transferred: number;
  headers: number;
  raw: number;
  gzip: number;
  brotli: number;
  contentEncoding: string | null;
}
export interface Weight {
  beforeClick: { resources: Resource[]; transferred: number; raw: number; gzip: number; brotli: number };
  openChat: { resources: Resource[]; transferred: number; raw: number; gzip: number; brotli: number };
  /** From the click on "find information" to the first article shown: the view's chunk, its texts, the list, the article. */
  firstArticle: { resources: Resource[]; transferred: number; raw: number; gzip: number; brotli: number };
  /** From the click on "ask for a call back" to its form: the view's chunk with the phone rules, and its texts. */
  callbackView: { resources: Resource[]; transferred: number; raw: number; gzip: number; brotli: number };
}

async function describe(r: Response): Promise<Resource | null> {
  const req = r.request();
  if (r.status() >= 300 && r.status() < 400) return null;
  let body: Buffer;
  try {
    body = await r.body();
  } catch {
    return null;
  }
  const sizes = await req.sizes();
  const enc = (await r.allHeaders())['content-encoding'] ?? null;
  // The body as it would be on the wire: decoded by Chromium, so compress it ourselves.
  return {
    url: new URL(r.url()).pathname + (new URL(r.url()).pathname === '/widget/frame' || new URL(r.url()).pathname.startsWith('/api/') ? '?…' : ''),
    type: req.resourceType(),
    status: r.status(),
    transferred: sizes.responseHeadersSize + sizes.responseBodySize,
    headers: sizes.responseHeadersSize,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
    contentEncoding: enc,
  };
}

const sum = (rs: Resource[]) => ({
  resources: rs,
  transferred: rs.reduce((a, r) => a + r.transferred, 0),
  raw: rs.reduce((a, r) => a + r.raw, 0),
  gzip: rs.reduce((a, r) => a + r.gzip, 0),
  brotli: rs.reduce((a, r) => a + r.brotli, 0),
});

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Loads the demo page, sums every response from the DiReturn server before any click, then clicks
 * the launcher and sums everything the open chat adds (frame document, scripts, one language file).
 */
export async function measureWeight(server: Running): Promise<Weight> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const serverOrigin = new URL(server.url).origin;
    type Phase = 'before' | 'after' | 'article' | 'callback';
    let phase = 'before' as Phase;
    const pending: Array<Promise<[Phase, Resource | null]>> = [];
    page.on('response', (r) => {
      const p = phase;
      // Before the click only what DiReturn adds to the partner page counts (not the page's own files).
      if (p === 'before' && new URL(r.url()).origin !== serverOrigin) return;
      pending.push(describe(r).then((d): [Phase, Resource | null] => [p, d]));
    });
    await page.goto(`${server.url}/demo/`, { waitUntil: 'load' });
    await page.locator('direturn-chat button.launcher').waitFor();
    await page.waitForLoadState('networkidle');
    await settle(500);
    phase = 'after';
    await page.locator('direturn-chat button.launcher').click();
    const frame = page.frameLocator('direturn-chat iframe');
    await frame.locator('textarea').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await settle(1500);
    // The information view and its first article: loaded only when the visitor asks for them.
    phase = 'article';
    await frame.locator('[part="entry"]').first().click();
    const info = frame.locator('direturn-info-view');
    await info.locator('li button').first().click({ timeout: 20_000 });
    await info.locator('article h2').waitFor({ timeout: 20_000 });
    await settle(1000);
    // Back to the chat, then the callback view: its chunk (with libphonenumber-js) loads only now.
    await page.keyboard.press('Escape');
    await frame.locator('[part="entry"][data-entry="callback"]').waitFor({ timeout: 20_000 });
    phase = 'callback';
    await frame.locator('[part="entry"][data-entry="callback"]').click();
    await frame.locator('direturn-callback-view form').waitFor({ timeout: 20_000 });
    await settle(1000);
    const all = await Promise.all(pending);
    const pick = (p: string) => all.filter(([ph, d]) => ph === p && d).map(([, d]) => d!);
    await context.close();
    return { beforeClick: sum(pick('before')), openChat: sum(pick('after')), firstArticle: sum(pick('article')), callbackView: sum(pick('callback')) };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- 2. host-page impact

/** Lighthouse's "slow 4G" as DevTools applies it (150 ms RTT, 1.6 Mbps down, 750 kbps up, ×3.75/×0.9), and 4× CPU slowdown. */
export const SLOW_4G = { latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8, cpuSlowdown: 4 };

export interface PageRun { cls: number; tbt: number; load: number; fcp: number; longTasks: number; blockingAll: number }
/** Milliseconds after the click at which each step of opening the chat finished. */
export interface OpenSteps { frameDocument: number; chatJs: number; locale: number; canType: number }
export interface HostImpact {
  runs: number;
  without: PageRun;
  with: PageRun;
  delta: { cls: number; tbt: number; load: number };
  clickToType: { median: number; runs: number[]; focused: boolean; steps: OpenSteps };
}

/** A tiny partner site on another origin (127.0.0.1:P): the demo page with and without the widget tag. */
async function hostPageServer(direturnUrl: string, siteKey: string, port: number): Promise<Server> {
  const demo = join(ROOT, 'examples/demo');
  const withTag = readFileSync(join(demo, 'index.html'), 'utf8').replaceAll('%DIRETURN_URL%', direturnUrl).replace('data-site="demo"', `data-site="${siteKey}"`);
  const withoutTag = withTag.replace(/<script type="module" src="[^"]*\/widget\.js"[^>]*><\/script>/, '');
  if (withoutTag === withTag) throw new Error('could not remove the widget tag from the demo page');
  const files: Record<string, [string, string]> = {
    '/with.html': [withTag, 'text/html; charset=utf-8'],
    '/without.html': [withoutTag, 'text/html; charset=utf-8'],
    '/demo.css': [readFileSync(join(demo, 'demo.css'), 'utf8'), 'text/css'],
    '/demo.js': [readFileSync(join(demo, 'demo.js'), 'utf8'), 'text/javascript'],
  };
  const server = createServer((req, res) => {
    const f = files[(req.url ?? '').split('?')[0]!];
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[1], 'cache-control': 'no-store' }).end(f[0]);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

async function registerSite(direturnUrl: string, origin: string): Promise<string> {
  const login = await fetch(`${direturnUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench-admin@bench.example', password: AGENT_PASSWORD }),
  });
  if (!login.ok) throw new Error(`admin login: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${direturnUrl}/api/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'Bench partner', allowedOrigins: [origin], defaultLanguage: 'de' }),
  });
  if (!res.ok) throw new Error(`site: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { site: { key: string } }).site.key;
}

/**
 * Chromium with the chat frame in the page's process (no site isolation), as on low-memory Android
 * phones, so that the network and CPU throttling of the page's DevTools session also apply to the frame.
 */
function launchForImpact(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-site-isolation-trials',
      '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,IsolateOrigins,site-per-process',
    ],
  });
}

const OBSERVERS = `(() => {
  if (window.top !== window) return;
  const b = (window.__bench = { cls: 0, longTasks: [], clickAt: 0 });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) b.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  addEventListener('pointerdown', () => { if (!b.clickAt) b.clickAt = performance.timeOrigin + performance.now(); }, true);
})();`;

/**
 * In the chat frame: the textarea is rendered, enabled and visible. No named inner functions: tsx
 * would wrap them in a helper that does not exist in the page (and the frame's CSP forbids strings).
 */
function canType(): false | { at: number; focused: boolean } {
  const stack: Array<Document | ShadowRoot> = [document];
  let t: HTMLTextAreaElement | null = null;
  while (!t && stack.length) {
    const root = stack.pop()!;
    t = root.querySelector('textarea');
    for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) stack.push(el.shadowRoot);
  }
  if (!t || t.disabled || !t.isConnected || t.getClientRects().length === 0) return false;
  let a: Element | null = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return { at: performance.timeOrigin + performance.now(), focused: a === t };
}

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: SLOW_4G.latency, downloadThroughput: SLOW_4G.downloadThroughput, uploadThroughput: SLOW_4G.uploadThroughput });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_4G.cpuSlowdown });
}

type LoadRun = PageRun & { clickToType?: number; focused?: boolean; steps?: OpenSteps };
async function loadOnce(browser: Browser, url: string, click: boolean): Promise<LoadRun> {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: false, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await context.addInitScript(OBSERVERS);
    await throttle(page);
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    await settle(3000); // long tasks and shifts after load (the widget upgrades after its module ran)
    const m = await page.evaluate(() => {
      const b = (window as any).__bench;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
      const tasks = b.longTasks as Array<[number, number]>;
      const tbt = tasks.filter(([s]) => s >= fcp).reduce((a, [, d]) => a + Math.max(0, d - 50), 0);
      const blockingAll = tasks.reduce((a, [, d]) => a + Math.max(0, d - 50), 0);
      return { cls: b.cls as number, tbt, load: nav.loadEventEnd, fcp, longTasks: tasks.length, blockingAll };
    });
    if (!click) return m;
    await page.locator('direturn-chat button.launcher').click();
    const frame = await (async () => {
      for (let i = 0; i < 400; i++) {
        const f = page.frames().find((f) => f.url().includes('/widget/frame'));
        if (f) return f;
        await settle(25);
      }
      throw new Error('chat frame did not appear');
    })();
    const ready = await frame.waitForFunction(canType, undefined, { polling: 'raf', timeout: 30_000 });
    const { at, focused } = (await ready.jsonValue()) as { at: number; focused: boolean };
    const clickAt = await page.evaluate(() => (window as any).__bench.clickAt as number);
    const ends = await frame.evaluate(() =>
      [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')].map((e) => [e!.name, performance.timeOrigin + (e as PerformanceResourceTiming).responseEnd] as [string, number]),
    );
    const end = (re: RegExp) => Math.round((ends.find(([n]) => re.test(n))?.[1] ?? clickAt) - clickAt);
    const steps: OpenSteps = { frameDocument: end(/\/widget\/frame/), chatJs: end(/\/chat\.js/), locale: end(/\/locales\//), canType: Math.round(at - clickAt) };
    return { ...m, clickToType: at - clickAt, focused, steps };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianRun = (rs: PageRun[]): PageRun => ({
  cls: Math.round(median(rs.map((r) => r.cls)) * 10000) / 10000,
  tbt: Math.round(median(rs.map((r) => r.tbt))),
  load: Math.round(median(rs.map((r) => r.load))),
  fcp: Math.round(median(rs.map((r) => r.fcp))),
  longTasks: median(rs.map((r) => r.longTasks)),
  blockingAll: Math.round(median(rs.map((r) => r.blockingAll))),
});

export async function measureHostImpact(server: Running, runs = 3): Promise<HostImpact> {
  const port = await freePort();
  const host = { origin: `http://127.0.0.1:${port}` };
  const key = await registerSite(server.url, host.origin);
  const hs = await hostPageServer(server.url, key, port);
  const browser = await launchForImpact();
  try {
    const without: PageRun[] = [];
    const withW: LoadRun[] = [];
    await loadOnce(browser, `${host.origin}/without.html`, false); // warm-up (Chromium start-up effects)
    for (let i = 0; i < runs; i++) {
      without.push(await loadOnce(browser, `${host.origin}/without.html`, false));
      withW.push(await loadOnce(browser, `${host.origin}/with.html`, true));
    }
    const a = medianRun(without);
    const b = medianRun(withW);
    const ctt = withW.map((r) => Math.round(r.clickToType!));
    return {
      runs,
      without: a,
      with: b,
      delta: { cls: Math.round((b.cls - a.cls) * 10000) / 10000, tbt: b.tbt - a.tbt, load: b.load - a.load },
      clickToType: {
        median: median(ctt),
        runs: ctt,
        focused: withW.every((r) => r.focused),
        // the steps of the median run
        steps: withW.find((r) => Math.round(r.clickToType!) === median(ctt))!.steps!,
      },
    };
  } finally {
    await browser.close();
    hs.close();
  }
}
