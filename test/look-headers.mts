import { launchChromium } from './support/browser.js';
import { startServerProcess } from './support/server.js';
const server = await startServerProcess();
const browser = await launchChromium();
const width = Number(process.argv[2] ?? 320);
const langs = (process.argv[3] ?? 'de,en,tr,ar,ru,fa,uk,ps,ku,sq,sr,ka,fr').split(',');
try {
  for (const code of langs) {
    const context = await browser.newContext({ locale: code, viewport: { width, height: 640 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo/`);
    await page.evaluate((lang) => document.querySelector('direturn-chat')!.setAttribute('lang', lang), code);
    await page.locator('direturn-chat [part="launcher"]').click();
    const chat = page.frameLocator('direturn-chat iframe');
    await chat.locator(`html[lang="${code}"]`).waitFor();
    await chat.locator('direturn-chat-header').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `/tmp/wt10-shots/header-${width}-${code}.png`, clip: { x: 0, y: 0, width, height: 90 } });
    await context.close();
  }
} finally { await browser.close(); await server.stop(); }
