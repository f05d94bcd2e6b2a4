import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serverAndBrowser } from '../support/app.js';
import { launchChromium } from '../support/browser.js';

// A visitor switches from one device to another (here: two browser contexts, which share
// nothing) with their resume code; the first device loses the conversation.

const app = serverAndBrowser();

async function openChat(page: Page) {
  await page.goto(`${app.server.url}/demo/`);
  await page.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = page.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').waitFor();
  return chat;
}

it('a visitor continues the same conversation on a second browser with the resume code', async () => {
  const phone = await app.browser.newContext({ locale: 'de-DE' });
  const phonePage = await phone.newPage();
  const onPhone = await openChat(phonePage);
  const question = 'Ich schreibe vom geliehenen Handy und mache am Bibliotheksrechner weiter.';
  await onPhone.locator('textarea').fill(question);
  await onPhone.locator('textarea').press('Enter');
  await onPhone.getByText('Gesendet').first().waitFor();

  // The code, shown in groups of four.
  await onPhone.getByRole('button', { name: 'Auf anderem Gerät weiterschreiben' }).click();
  await onPhone.getByRole('button', { name: 'Meinen Code zeigen' }).click();
  const shown = (await onPhone.locator('[part="code"]').textContent())!.trim();
  expect(shown).toMatch(/^[2-9A-HJKMNP-Z]{4} [2-9A-HJKMNP-Z]{4} [2-9A-HJKMNP-Z]{4}$/);

  // Another browser: nothing in common with the first but the code, typed by keyboard.
  const library = await app.browser.newContext({ locale: 'de-DE' });
  const libraryPage = await library.newPage();
  const atLibrary = await openChat(libraryPage);
  expect(await atLibrary.locator('[part="bubble"]', { hasText: question }).count()).toBe(0);
  await atLibrary.getByRole('button', { name: 'Auf anderem Gerät weiterschreiben' }).click();
  const field = atLibrary.getByLabel('Code (12 Zeichen)');
  await field.click();
  await libraryPage.keyboard.type(shown.toLowerCase());
  await libraryPage.keyboard.press('Enter');
  await atLibrary.locator('[part="bubble"]', { hasText: question }).waitFor();

  // The conversation goes on from here; the phone shows nothing of it any more.
  await atLibrary.locator('textarea').fill('Jetzt am Bibliotheksrechner.');
  await atLibrary.locator('textarea').press('Enter');
  await atLibrary.getByText('Gesendet').first().waitFor();
  await onPhone.getByText('wird jetzt auf einem anderen Gerät fortgesetzt').waitFor();
  expect(await onPhone.locator('[part="bubble"]', { hasText: question }).count()).toBe(0);
  // A reload on the phone does not bring it back.
  await phonePage.reload();
  const reopened = await openChat(phonePage);
  await reopened.locator('[part="entry"]').first().waitFor();
  expect(await reopened.locator('[part="bubble"]', { hasText: question }).count()).toBe(0);

  await phone.close();
  await library.close();
});

it('a browser that refuses the frame any storage offers the code, and the code brings the conversation back after a reload', async () => {
  const strict = await launchChromium({ storagePartitioning: false });
  try {
    const page = await strict.newPage({ locale: 'de-DE' });
    const chat = await openChat(page);
    await chat.getByText('nicht, Sie wiederzuerkennen').waitFor();
    await chat.locator('textarea').fill('Mein Browser merkt sich nichts.');
    await chat.locator('textarea').press('Enter');
    await chat.getByText('Gesendet').first().waitFor();
    await chat.getByRole('button', { name: 'Code holen, um später weiterzuschreiben' }).click();
    await chat.getByRole('button', { name: 'Meinen Code zeigen' }).click();
    const code = (await chat.locator('[part="code"]').textContent())!.trim();

    // A reload forgets everything here; the code written down brings the conversation back.
    await page.reload();
    const again = await openChat(page);
    expect(await again.locator('[part="bubble"]', { hasText: 'Mein Browser merkt sich nichts.' }).count()).toBe(0);
    await again.getByRole('button', { name: 'Code holen, um später weiterzuschreiben' }).click();
    await again.getByLabel('Code (12 Zeichen)').fill(code);
    await again.getByLabel('Code (12 Zeichen)').press('Enter');
    await again.locator('[part="bubble"]', { hasText: 'Mein Browser merkt sich nichts.' }).waitFor();
  } finally {
    await strict.close();
  }
});
