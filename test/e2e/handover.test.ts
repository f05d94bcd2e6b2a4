import { expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login } from '../support/agent-client.js';
import { serverAndBrowser } from '../support/app.js';
import { ADMIN } from '../support/server.js';

// Counsellor work in Chromium (issue 14): a Pashto conversation handed to a Pashto-speaking colleague
// with a note, who answers with a saved reply in Pashto; a conversation whose counsellor logged out reaches someone through the supervision view.
const app = serverAndBrowser();
const BILAL = { email: 'bilal@example.org', password: 'correct pony staple battery 42' };

async function api(cookie: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.server.url}/api${path}`, {
    method,
    headers: { cookie, origin: app.server.url, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

async function consoleAs(browser: Browser, who: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await page.goto(`${app.server.url}/console/`);
  await page.getByLabel(/e-mail/i).fill(who.email);
  await page.getByLabel(/passwort|password/i).fill(who.password);
  await page.getByRole('button', { name: /anmelden|log in/i }).click();
  await page.locator('direturn-availability-toggle').waitFor();
  return page;
}

async function visitorWrites(browser: Browser, language: string, text: string) {
  const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  await page.goto(`${app.server.url}/demo/`);
  // The partner page says which language its visitor reads (the demo page is German).
  await page.evaluate((lang) => document.querySelector('direturn-chat')!.setAttribute('lang', lang), language);
  await page.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = page.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').fill(text);
  await chat.locator('textarea').press('Enter');
  await chat.locator('[part="bubble"]', { hasText: text }).waitFor();
  return { page, chat };
}

/** Picks the option whose text matches in a handover dialog's colleague list. */
async function chooseColleague(page: Page, scope: string, name: RegExp): Promise<void> {
  const select = page.locator(`${scope} direturn-handover-dialog select`).first();
  await expect.poll(() => select.locator('option', { hasText: name }).count()).toBeGreaterThan(0);
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value');
  await select.selectOption(value!);
}

it('hands a Pashto conversation to a Pashto-speaking colleague with a note, who answers with a saved reply in Pashto; the visitor sees only that someone else took over', async () => {
  const admin = await login(app.server.url, ADMIN.email, ADMIN.password);
  expect((await api(admin, 'POST', '/agents', { ...BILAL, name: 'Bilal', role: 'counsellor', languages: ['ps', 'de'] })).status).toBe(201);
  const question = 'سلام، زما پاسپورټ ختم شوی دی. څنګه بېرته کور ته لاړ شم؟';
  const visitor = await visitorWrites(app.browser, 'ps', question);

  const adminPage = await consoleAs(app.browser, ADMIN);
  const bilalPage = await consoleAs(app.browser, BILAL);
  await adminPage.locator('direturn-queue').getByText(question).waitFor();
  await adminPage.locator('direturn-queue [part="claim"]').first().click();
  await adminPage.locator('direturn-conversation-view').getByText(question).waitFor();

  // The handover, with an internal note.
  await adminPage.locator('direturn-conversation-work').getByRole('button', { name: /übergeben/i }).click();
  await chooseColleague(adminPage, 'direturn-conversation-work', /Bilal/);
  const note = 'Spricht nur Paschtu, Pass abgelaufen – bitte Passersatz erklären.';
  await adminPage.locator('direturn-conversation-work direturn-handover-dialog textarea').fill(note);
  await adminPage.locator('direturn-conversation-work direturn-handover-dialog button[type="submit"]').click();

  // The colleague hears of it, opens it, reads the whole history and the note.
  await bilalPage.getByText(/hat Ihnen ein Gespräch übergeben/).waitFor();
  await bilalPage.locator('direturn-my-conversations [part="item"]').first().click();
  await bilalPage.locator('direturn-conversation-view').getByText(question).waitFor();
  await bilalPage.locator('direturn-conversation-work [part="note"]', { hasText: note }).waitFor();
  // The colleague answers with a saved reply from the shared library, by keyboard: the Pashto text
  // is chosen for the Pashto conversation, with the colleague's own name filled in.
  const box = bilalPage.locator('direturn-conversation-view textarea');
  await box.press('Alt+KeyR');
  await bilalPage.getByRole('combobox', { name: 'Textbausteine durchsuchen' }).waitFor();
  await bilalPage.keyboard.type('welcome');
  await expect.poll(() => bilalPage.locator('direturn-reply-picker').getByRole('option').count()).toBe(1);
  await bilalPage.keyboard.press('Enter');
  await expect.poll(() => box.inputValue()).toContain('زما نوم Bilal');
  expect(await box.inputValue()).not.toContain('{{');
  await bilalPage.locator('direturn-conversation-view').getByText('Auf پښتو eingefügt.').waitFor();
  const reply = await box.inputValue();
  await bilalPage.keyboard.press('Enter');

  // The visitor: "another counsellor has taken over" in Pashto, the answer, never the note.
  await visitor.chat.locator('[part="bubble"]', { hasText: 'زما نوم Bilal' }).waitFor();

  await visitor.chat.getByText('بل مشاور خبرې اترې په غاړه اخیستې دي.').waitFor();
  // Everything the visitor's chat shows (the log lives in the chat element's shadow root).
  const shown = (await visitor.chat.locator('[part="bubble"]').allInnerTexts()).join('\n');
  expect(shown).toContain(reply.trim());
  expect(shown).not.toContain('Paschtu');
  // The former holder no longer has it in their list.
  await expect.poll(() => adminPage.locator('direturn-my-conversations [part="item"]').count()).toBe(0);
  const bilal = await login(app.server.url, BILAL.email, BILAL.password);
  for (const c of (await api(bilal, 'GET', '/conversations?status=mine')).json.conversations) await api(bilal, 'POST', `/conversations/${c.id}/close`);
  await Promise.all([visitor.page.context().close(), adminPage.context().close(), bilalPage.context().close()]);
});

it('a counsellor logs out holding a conversation; the visitor writes; a supervisor takes it over from the supervision view and answers', async () => {
  const admin = await login(app.server.url, ADMIN.email, ADMIN.password);
  const visitor = await visitorWrites(app.browser, 'de', 'Ich brauche Hilfe mit der Ausreise.');
  const bilal = await login(app.server.url, BILAL.email, BILAL.password);
  const waiting = (await api(bilal, 'GET', '/conversations?status=waiting')).json.conversations[0];
  expect((await api(bilal, 'POST', `/conversations/${waiting.id}/claim`)).status).toBe(200);
  expect((await api(bilal, 'POST', '/auth/logout')).status).toBe(204);
  await visitor.chat.locator('textarea').fill('Ist noch jemand da?');
  await visitor.chat.locator('textarea').press('Enter');

  const adminPage = await consoleAs(app.browser, ADMIN);
  await adminPage.locator('nav button[data-screen="supervision"]').click();
  const row = adminPage.locator('direturn-supervision table[part="conversations"] tbody tr', { hasText: 'Bilal' });
  await row.waitFor();
  await row.getByRole('button').click();
  await chooseColleague(adminPage, 'direturn-supervision', /übernehmen/);
  await adminPage.locator('direturn-supervision direturn-handover-dialog button[type="submit"]').click();
  await expect.poll(() => adminPage.locator('direturn-supervision table[part="conversations"] tbody tr', { hasText: 'Bilal' }).count()).toBe(0);

  await adminPage.locator('nav button[data-screen="conversations"]').click();
  await adminPage.locator('direturn-my-conversations [part="item"]').first().click();
  await adminPage.locator('direturn-conversation-view').getByText('Ist noch jemand da?').waitFor();
  await adminPage.locator('direturn-conversation-view textarea').fill('Ja, ich bin jetzt für Sie da.');
  await adminPage.locator('direturn-conversation-view textarea').press('Enter');
  await visitor.chat.locator('[part="bubble"]', { hasText: 'Ja, ich bin jetzt für Sie da.' }).waitFor();
  expect(admin).toBeTruthy();
  await Promise.all([visitor.page.context().close(), adminPage.context().close()]);
});
