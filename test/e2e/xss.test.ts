// The browser half of "message text is data": payloads written by a visitor are shown as literal
// text in the console, echoed back by the counsellor and shown as literal text in the widget; no
// script runs in any page or frame, no element is made from the payload, and the only links are
// http(s) links that open safely in a new tab.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serverAndBrowser } from '../support/app.js';
import { ADMIN } from '../support/server.js';

const app = serverAndBrowser();

const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  'https://example.org/?q=<svg/onload=window.__pwned=1>',
];

/** `window.__pwned` in the page and every frame of it. */
async function pwned(page: Page): Promise<unknown[]> {
  return Promise.all(page.frames().map((f) => f.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null)));
}

it('shows XSS payloads as literal text in the console and the widget, runs none of them, and links only to http(s)', async () => {
  const visitorContext = await app.browser.newContext({ locale: 'de-DE' });
  const visitorPage = await visitorContext.newPage();
  const dialogs: string[] = [];
  visitorPage.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await visitorPage.goto(`${app.server.url}/demo/`);
  await visitorPage.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = visitorPage.frameLocator('direturn-chat iframe');
  const composer = chat.locator('textarea');
  await composer.waitFor();
  // the privacy notice is there before the first message
  await chat.locator('direturn-chat-privacy h2').waitFor();
  for (const href of await chat.locator('direturn-chat-privacy a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
    expect(href).toMatch(/^https?:\/\//);
  }

  for (const payload of PAYLOADS) {
    await composer.fill(payload);
    await composer.press('Enter');
    await chat.locator('li.visitor [part="bubble"]', { hasText: payload.slice(0, 20) }).first().waitFor();
  }
  // every one acknowledged (a rate-limited send is held and resent by the widget)
  await expect.poll(() => chat.locator('li.visitor .state.sent, li.visitor .state.read').count(), { timeout: 15_000 }).toBe(PAYLOADS.length);

  // The counsellor logs in, claims and sees the payloads as text.
  const agentContext = await app.browser.newContext({ locale: 'de-DE' });
  const agentPage = await agentContext.newPage();
  agentPage.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await agentPage.goto(`${app.server.url}/console/`);
  await agentPage.getByLabel(/e-mail/i).fill(ADMIN.email);
  await agentPage.getByLabel(/passwort|password/i).fill(ADMIN.password);
  await agentPage.getByRole('button', { name: /anmelden|log in/i }).click();
  await agentPage.locator('direturn-queue [part="claim"]').first().click();
  const view = agentPage.locator('direturn-conversation-view');
  const reply = view.locator('textarea');
  await reply.waitFor();
  const visitorBodies = view.locator('li.visitor .body');
  await expect.poll(() => visitorBodies.allTextContents()).toEqual(PAYLOADS);

  // … and echoes them back.
  for (const payload of PAYLOADS) {
    await reply.fill(payload);
    await reply.press('Enter');
    await view.locator('li.agent .body', { hasText: payload.slice(0, 20) }).first().waitFor();
  }
  await expect.poll(() => view.locator('li.agent .body').allTextContents()).toEqual(PAYLOADS);

  // The visitor sees the answers as literal text.
  const agentBubbles = chat.locator('li.agent [part="bubble"]');
  await expect.poll(() => agentBubbles.allTextContents(), { timeout: 15_000 }).toEqual(PAYLOADS);
  expect(await chat.locator('li.visitor [part="bubble"]').allTextContents()).toEqual(PAYLOADS);

  // No element was made from a payload, in either app.
  const made = 'img, script, svg, iframe, object, embed, [onerror], [onload]';
  expect(await chat.locator(`[part="bubble"] :is(${made})`).count()).toBe(0);
  expect(await view.locator(`.body :is(${made})`).count()).toBe(0);
  expect(await view.locator('.body a').count()).toBe(0);

  // The only links: the http(s) one, cut before the markup, opening safely in a new tab.
  const links = await chat.locator('[part="bubble"] a').evaluateAll((as) =>
    as.map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel'), text: a.textContent })),
  );
  expect(links).toEqual(
    Array(2).fill({ href: 'https://example.org/?q=', target: '_blank', rel: 'noopener noreferrer nofollow', text: 'https://example.org/?q=' }),
  );
  // Nothing ran anywhere: partner page, chat frame, console; nor after reloading both.
  for (const page of [visitorPage, agentPage]) expect(await pwned(page)).toEqual(page.frames().map(() => null));
  await visitorPage.reload();
  await visitorPage.locator('direturn-chat').locator('[part="launcher"]').click();
  await visitorPage.frameLocator('direturn-chat iframe').locator('li.agent [part="bubble"]').nth(PAYLOADS.length - 1).waitFor();
  await agentPage.reload();
  await agentPage.locator('direturn-console').waitFor();
  for (const page of [visitorPage, agentPage]) expect(await pwned(page)).toEqual(page.frames().map(() => null));
  expect(dialogs).toEqual([]);

  await visitorContext.close();
  await agentContext.close();
}, 60_000);
