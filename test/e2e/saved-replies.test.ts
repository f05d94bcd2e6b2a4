import { expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { ADMIN, startServerProcess } from '../support/server.js';

// A counsellor answers a Pashto conversation with a saved reply from the demo library, chosen by
// keyboard; the visitor reads it in Pashto with the counsellor's name filled in.

it('a counsellor answers in Pashto with a saved reply, by keyboard', async () => {
  const server = await startServerProcess({ DIRETURN_DEMO_EXAMPLES: '1' });
  const browser = await launchChromium();
  try {
    const visitorContext = await browser.newContext({ locale: 'ps' });
    const visitorPage = await visitorContext.newPage();
    await visitorPage.goto(`${server.url}/demo/`);
    await visitorPage.locator('direturn-chat').locator('[part="launcher"]').click();
    const chat = visitorPage.frameLocator('direturn-chat iframe');
    // The visitor chooses Pashto in the chat's language menu.
    await chat.locator('select').first().selectOption('ps');
    await chat.locator('textarea').fill('سلام، زه غواړم بېرته افغانستان ته لاړ شم.');
    await chat.locator('textarea').press('Enter');

    const agentContext = await browser.newContext({ locale: 'en' });
    const page = await agentContext.newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByLabel(/e-mail/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /sign in|log in/i }).click();
    await page.locator('direturn-queue [part="claim"]').first().click();
    const reply = page.locator('direturn-conversation-view textarea');
    await reply.waitFor();
    await reply.press('Alt+KeyR');
    const search = page.getByRole('combobox', { name: 'Search saved replies' });
    await search.waitFor();
    await page.keyboard.type('welcome');
    await expect.poll(() => page.locator('direturn-reply-picker').getByRole('option').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => reply.inputValue()).toContain('زما نوم');
    expect(await reply.inputValue()).not.toContain('{{');
    await page.locator('direturn-conversation-view').getByText('Inserted in پښتو.').waitFor();
    // Focus is back in the reply field: Enter sends.
    await page.keyboard.press('Enter');

    await chat.locator('[part="bubble"]', { hasText: 'زما نوم Admin دی' }).waitFor();
    await visitorContext.close();
    await agentContext.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}, 120_000);
