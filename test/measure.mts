import { launchChromium } from './support/browser.js';
import { startServerProcess } from './support/server.js';
const server = await startServerProcess();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ locale: 'de', viewport: { width: 380, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/demo/`);
  await page.locator('direturn-chat [part="launcher"]').click();
  const frame = page.frameLocator('direturn-chat iframe');
  await frame.locator('direturn-chat-header').waitFor();
  await page.waitForTimeout(300);
  console.log(await frame.locator('direturn-chat-header').evaluate((h) => {
    const r = h.shadowRoot!;
    return [innerWidth, ...['header', '.titles', 'h1', 'select', '[part=privacy]'].map(function (s) { const e = r.querySelector(s)!; const b = e.getBoundingClientRect(); return [s, Math.round(b.width), getComputedStyle(e).fontSize, getComputedStyle(e).fontFamily.slice(0, 40)]; })];
  }));
} finally { await browser.close(); await server.stop(); }
