// On a slow network the chat frame's own document already lets the visitor type: the chat app
// (chat.js) takes over what they wrote, sends it if they pressed Enter, and the texts come inline
// with the document (no extra request for the language file).
import { expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Route } from 'playwright-core';
import { serverAndBrowser } from '../support/app.js';

const app = serverAndBrowser();

/** Opens the demo page's chat while chat.js is held back; `release` lets it through. */
async function openWithChatHeld(locale: string, language?: string, { keyboard = false } = {}) {
  const context = await app.browser.newContext({ locale });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  let held: Route | undefined;
  const arrived = new Promise<void>((resolve) => {
    void context.route('**/widget/chat.js', (route) => {
      held = route;
      resolve();
    });
  });
  await page.goto(`${app.server.url}/demo/`);
  if (language) await page.evaluate((l) => (window as unknown as { DiReturn: (...a: unknown[]) => void }).DiReturn('setLanguage', l), language);
  const launcher = page.locator('direturn-chat').locator('[part="launcher"]');
  if (keyboard) {
    await launcher.focus();
    await page.keyboard.press('Enter');
  } else await launcher.click();
  await arrived;
  const frame = page.frameLocator('direturn-chat iframe');
  return { context, page, frame, requests, release: () => held!.continue() };
}

it('the visitor types before the chat app has loaded; the app keeps the text and sends it on Enter', async () => {
  const { context, frame, requests, release } = await openWithChatHeld('de-DE');
  const early = frame.locator('#direturn-first-text');
  await early.waitFor();
  // A real, labelled field in the visitor's language, before any script of ours has run.
  expect(await frame.getByLabel('Ihre Nachricht').count()).toBe(1);
  expect(await frame.locator('html').getAttribute('lang')).toBe('de');
  expect(await frame.locator('direturn-chat-app').count()).toBe(0);
  // The privacy notice is there before anything can be sent.
  await frame.getByRole('heading', { name: 'Datenschutz' }).waitFor();

  await early.click();
  await early.pressSequentially('Guten Tag, ich komme aus Tiflis');
  await early.press('Enter');
  await release();

  const bubble = frame.locator('li.visitor [part="bubble"]', { hasText: 'Guten Tag, ich komme aus Tiflis' });
  await bubble.waitFor();
  await expect.poll(() => frame.locator('li.visitor .state.sent, li.visitor .state.read').count(), { timeout: 10_000 }).toBe(1);
  expect(await frame.locator('#direturn-first').count()).toBe(0);
  // The app's composer is empty again and has the focus (the visitor was typing).
  const composer = frame.locator('direturn-chat-composer textarea');
  expect(await composer.inputValue()).toBe('');
  expect(await composer.evaluate((t) => (t.getRootNode() as ShadowRoot).activeElement === t)).toBe(true);
  // The texts came with the frame document.
  expect(requests.filter((p) => p.includes('/locales/'))).toEqual([]);
  await context.close();
});

it('a half-written text stays in the composer; the first screen is right-to-left and accessible in Arabic', async () => {
  // The page asks for Arabic (the demo page itself is German).
  const { context, page, frame, release } = await openWithChatHeld('de-DE', 'ar');
  const early = frame.locator('#direturn-first-text');
  await early.waitFor();
  expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
  expect(await frame.locator('html').getAttribute('lang')).toBe('ar');
  // the empty field starts right-to-left, as the screen (dir="auto" alone would start it left-to-right)
  const direction = () => early.evaluate((t) => getComputedStyle(t).direction);
  expect(await direction()).toBe('rtl');
  await early.fill('Hello');
  expect(await direction()).toBe('ltr');
  await early.fill('');
  expect(await direction()).toBe('rtl');
  const axe = await new AxeBuilder({ page }).analyze(); // the partner page and, inside it, the chat frame
  expect(axe.violations.map((v) => [v.id, v.nodes.map((n) => n.target)])).toEqual([]);

  await early.fill('مرحبا، أريد');
  await release();
  const composer = frame.locator('direturn-chat-composer textarea');
  await composer.waitFor();
  await expect.poll(() => composer.inputValue()).toBe('مرحبا، أريد');
  expect(await frame.locator('li.visitor').count()).toBe(0);
  await context.close();
});

it('opened with the keyboard, the cursor is in the first screen: what the visitor types at once is kept', async () => {
  const { context, page, frame, release } = await openWithChatHeld('de-DE', undefined, { keyboard: true });
  const early = frame.locator('#direturn-first-text');
  await early.waitFor();
  await expect.poll(() => early.evaluate((t) => document.activeElement === t && document.hasFocus())).toBe(true);
  // typed on the page's keyboard, not into a located element: it goes wherever focus is
  await page.keyboard.type('Hallo, ich habe eine Frage');
  expect(await early.inputValue()).toBe('Hallo, ich habe eine Frage');
  await release();
  const composer = frame.locator('direturn-chat-composer textarea');
  await composer.waitFor();
  await expect.poll(() => composer.inputValue()).toBe('Hallo, ich habe eine Frage');
  expect(await composer.evaluate((t) => (t.getRootNode() as ShadowRoot).activeElement === t)).toBe(true);
  await context.close();
});
