import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serverAndBrowser } from '../support/app.js';
import { launchChromium } from '../support/browser.js';
import { ADMIN } from '../support/server.js';

const app = serverAndBrowser();

async function loginToConsole(page: Page): Promise<void> {
  await page.goto(`${app.server.url}/console/`);
  await page.getByLabel(/e-mail/i).fill(ADMIN.email);
  await page.getByLabel(/passwort|password/i).fill(ADMIN.password);
  await page.getByRole('button', { name: /anmelden|log in/i }).click();
}

it('a visitor on the demo page chats with a counsellor who claims and answers in the console', async () => {
  const visitorContext = await app.browser.newContext({ locale: 'de-DE' });
  const visitorPage = await visitorContext.newPage();
  const thirdParty: string[] = [];
  visitorPage.on('request', (r) => {
    const host = new URL(r.url()).hostname;
    if (host !== 'localhost' && host !== '127.0.0.1') thirdParty.push(r.url());
  });

  await visitorPage.goto(`${app.server.url}/demo/`);
  // The demo page runs on another origin than DiReturn, like a partner page.
  expect(new URL(visitorPage.url()).hostname).toBe('127.0.0.1');
  const launcher = visitorPage.locator('direturn-chat').locator('[part="launcher"]');
  await expect.poll(() => launcher.count()).toBe(1);
  // Nothing loads before the click.
  expect(await visitorPage.locator('direturn-chat iframe').count()).toBe(0);
  await launcher.click();

  const chat = visitorPage.frameLocator('direturn-chat iframe');
  const composer = chat.locator('textarea');
  await composer.waitFor();
  const question = 'Ich möchte nach Georgien zurück. Wer berät mich in Augsburg?';
  await composer.fill(question);
  await composer.press('Enter');
  await chat.locator('[part="bubble"]', { hasText: question }).waitFor();

  // What the visitor writes never reaches the partner page's DOM.
  expect(await visitorPage.evaluate(() => document.documentElement.outerHTML)).not.toContain('Georgien');

  // A counsellor logs in, sees the conversation in the queue and takes it.
  const agentContext = await app.browser.newContext({ locale: 'de-DE' });
  const agentPage = await agentContext.newPage();
  await loginToConsole(agentPage);
  const queueItem = agentPage.locator('direturn-queue').getByText(question);
  await queueItem.waitFor();
  await agentPage.locator('direturn-queue [part="claim"]').first().click();

  const reply = agentPage.locator('direturn-conversation-view textarea');
  await reply.waitFor();
  await agentPage.locator('direturn-conversation-view').getByText(question).waitFor();
  // The counsellor sees on which partner page the visitor started.
  await agentPage.locator('direturn-conversation-view').getByText(/127\.0\.0\.1:\d+\/demo\//).first().waitFor();
  await reply.fill('Guten Tag! Für Augsburg ist die Rückkehrberatung der Caritas zuständig.');
  await reply.press('Enter');

  // The visitor sees the answer in real time.
  await chat.locator('[part="bubble"]', { hasText: 'Für Augsburg ist die Rückkehrberatung der Caritas zuständig' }).waitFor();

  // The queue is empty again for everyone.
  await expect.poll(() => agentPage.locator('direturn-queue [part="claim"]').count()).toBe(0);

  // Reloading the partner page brings back the same conversation.
  await visitorPage.reload();
  await visitorPage.locator('direturn-chat').locator('[part="launcher"]').click();
  const reopened = visitorPage.frameLocator('direturn-chat iframe');
  await reopened.locator('[part="bubble"]', { hasText: 'Für Augsburg ist die Rückkehrberatung der Caritas zuständig' }).waitFor();
  await reopened.locator('[part="bubble"]', { hasText: question }).waitFor();

  expect(thirdParty).toEqual([]);
  await visitorContext.close();
  await agentContext.close();
});

it('refuses to show the chat on a page whose origin the site does not allow', async () => {
  const page = await app.browser.newPage();
  const res = await page.goto(`${app.server.url}/widget/frame?site=demo&host=${encodeURIComponent('https://not-a-partner.example')}`);
  expect(res?.status()).toBe(403);
  await expect.poll(() => page.textContent('body')).toContain('does not allow the widget on https://not-a-partner.example');
  await page.close();
});

it('still lets the visitor chat when the browser denies the frame any storage, and says so', async () => {
  const strict = await launchChromium({ storagePartitioning: false });
  try {
    const page = await strict.newPage({ locale: 'de-DE' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.server.url}/demo/`);
    await page.locator('direturn-chat').locator('[part="launcher"]').click();
    const chat = page.frameLocator('direturn-chat iframe');
    await chat.getByText('nicht, Sie wiederzuerkennen').waitFor();
    await chat.locator('textarea').fill('Geht das auch ohne Speicher?');
    await chat.locator('textarea').press('Enter');
    await chat.locator('[part="bubble"]', { hasText: 'Geht das auch ohne Speicher?' }).waitFor();
    // Acknowledged by the server: the state under the message turns to "sent".
    await chat.getByText('Gesendet').first().waitFor();
    expect(errors).toEqual([]);
  } finally {
    await strict.close();
  }
});

it('logs no message text and shuts down cleanly on SIGTERM', async () => {
  const output = app.server.output();
  expect(output).toContain('"msg":"request"');
  for (const written of ['Georgien', 'Caritas zuständig', 'ohne Speicher']) expect(output).not.toContain(written);
  expect(await app.server.stop()).toBe(0);
  expect(app.server.output()).toContain('DiReturn stopped');
});
