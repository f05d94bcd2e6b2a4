// Drives Chromium through the demo partner page and the console and writes docs/screenshots/*.png.
// Run with `pnpm screenshots` (builds first, runs this with tsx). Uses a fresh server on a temporary database.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../support/browser.js';
import { ADMIN, ROOT, startServerProcess } from '../support/server.js';

const out = join(ROOT, 'docs/screenshots');
mkdirSync(out, { recursive: true });

const server = await startServerProcess();
const browser = await launchChromium();
try {
  // Visitor on a phone-sized screen.
  const visitor = await browser.newContext({ locale: 'de-DE', viewport: { width: 412, height: 860 }, deviceScaleFactor: 1 });
  const page = await visitor.newPage();
  await page.goto(`${server.url}/demo/`);
  await page.locator('direturn-chat [part="launcher"]').waitFor();
  await page.screenshot({ path: join(out, 'demo-closed.png') });
  await page.locator('direturn-chat [part="launcher"]').click();
  const chat = page.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').fill('Guten Tag, ich überlege, nach Georgien zurückzukehren. Wer kann mich in Augsburg beraten?');
  await chat.locator('textarea').press('Enter');

  // Counsellor in the console (desktop).
  const agent = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
  const consolePage = await agent.newPage();
  await consolePage.goto(`${server.url}/console/`);
  await consolePage.screenshot({ path: join(out, 'console-login.png') });
  await consolePage.getByLabel(/e-mail/i).fill(ADMIN.email);
  await consolePage.getByLabel(/passwort|password/i).fill(ADMIN.password);
  await consolePage.getByRole('button', { name: /anmelden|log in/i }).click();
  await consolePage.locator('direturn-queue [part="claim"]').first().waitFor();
  await consolePage.screenshot({ path: join(out, 'console-queue.png') });
  await consolePage.locator('direturn-queue [part="claim"]').first().click();
  const reply = consolePage.locator('direturn-conversation-view textarea');
  await reply.fill('Guten Tag! Gern. Für Augsburg ist die Rückkehrberatung der Caritas zuständig. Darf ich fragen, welche Unterstützung Sie sich wünschen?');
  await reply.press('Enter');
  await chat.locator('[part="bubble"]', { hasText: 'Rückkehrberatung der Caritas' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'widget-de.png') });
  await consolePage.waitForTimeout(300);
  await consolePage.screenshot({ path: join(out, 'console.png') });

  // A phone at 360×740 in Arabic (full screen, modal) and a laptop at 200 % zoom (640×400) in Farsi.
  for (const { name, lang, viewport, texts } of [
    { name: 'widget-phone-ar', lang: 'ar', viewport: { width: 360, height: 740 }, texts: ['مرحبا، أفكر في العودة إلى حلب.', 'هل يمكنكم مساعدتي في الأوراق؟ https://example.org/rueckkehr'] },
    { name: 'widget-zoom200-fa', lang: 'fa', viewport: { width: 640, height: 400 }, texts: ['سلام، می‌خواهم به هرات برگردم.', 'چه مدارکی لازم است؟', 'آیا هزینهٔ سفر پرداخت می‌شود؟'] },
  ]) {
    const context = await browser.newContext({ locale: 'de-DE', viewport, deviceScaleFactor: 1 });
    const phone = await context.newPage();
    await phone.goto(`${server.url}/demo/`);
    await phone.evaluate((l) => (window as unknown as { DiReturn: (c: string, a: string) => void }).DiReturn('setLanguage', l), lang);
    await phone.locator('direturn-chat [part="launcher"]').click();
    const frame = phone.frameLocator('direturn-chat iframe');
    await frame.locator(`html[lang="${lang}"]`).waitFor();
    for (const text of texts) {
      await frame.locator('direturn-chat-composer textarea').fill(text);
      await frame.locator('direturn-chat-composer textarea').press('Enter');
      await frame.locator('[part="bubble"]', { hasText: text.slice(0, 12) }).waitFor();
    }
    await phone.waitForTimeout(300);
    await phone.screenshot({ path: join(out, `${name}.png`) });
    await context.close();
  }
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
