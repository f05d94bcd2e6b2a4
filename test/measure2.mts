import { launchChromium } from './support/browser.js';
import { startServerProcess } from './support/server.js';
const server = await startServerProcess();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ locale: 'de', viewport: { width: 640, height: 400 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/demo/`);
  await page.evaluate(() => (window as any).DiReturn('setLanguage', 'fa'));
  await page.locator('direturn-chat [part="launcher"]').click();
  const h = await page.locator('direturn-chat iframe').elementHandle();
  const frame = (await h!.contentFrame())!;
  await frame.locator('direturn-chat-composer textarea').waitFor();
  await page.waitForTimeout(500);
  console.log(await frame.evaluate(() => [innerWidth, innerHeight, matchMedia('(max-height: 480px)').matches, ...['direturn-chat-header', 'direturn-chat-messages', 'direturn-chat-composer', '.notice'].map(function (s) { const e = document.querySelector('direturn-chat-app')!.shadowRoot!.querySelector(s); return [s, e && Math.round(e.getBoundingClientRect().height)]; })]));
  await page.screenshot({ path: '/tmp/wt10-shots/zoom.png' });
} finally { await browser.close(); await server.stop(); }
