import { AxeBuilder } from '@axe-core/playwright';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { serverAndBrowser } from '../support/app.js';
import { login } from '../support/agent-client.js';
import { ADMIN, ROOT } from '../support/server.js';

// A callback request end to end: a visitor in Arabic asks for a call back (the number typed in
// Arabic-Indic digits) → a counsellor claims it in the console, sees the number, records "done"
// → the visitor sees it handled, and the number is gone from the database.

// better-sqlite3 comes with the server package (as ws does in support/visitor-client.ts).
interface SqliteDb {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Sqlite = createRequire(join(ROOT, 'packages/server/package.json'))('better-sqlite3') as new (file: string, opts: { readonly: boolean; fileMustExist: boolean }) => SqliteDb;

const app = serverAndBrowser();
const COUNSELLOR = { email: 'nadia@example.org', name: 'Nadia', password: 'a counsellor password 2', role: 'counsellor', languages: ['ar', 'de'] };

function callbackRows(dataDir: string): Array<{ status: string; outcome: string | null; phone: string | null; topic: string | null; language: string }> {
  const db = new Sqlite(join(dataDir, 'direturn.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select status, outcome, phone, topic, language from callbacks').all() as ReturnType<typeof callbackRows>;
  } finally {
    db.close();
  }
}

it('a visitor in Arabic asks for a call back → a counsellor claims it, sees the number, records "done" → the visitor sees it handled; the number is gone', async () => {
  const admin = await login(app.server.url, ADMIN.email, ADMIN.password);
  const created = await fetch(`${app.server.url}/api/agents`, { method: 'POST', headers: { cookie: admin, origin: app.server.url, 'content-type': 'application/json' }, body: JSON.stringify(COUNSELLOR) });
  expect(created.status).toBe(201);

  // The visitor, on a phone, in Arabic.
  const visitorContext = await app.browser.newContext({ locale: 'ar', viewport: { width: 360, height: 740 } });
  const page = await visitorContext.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.server.url}/demo/`);
  await page.evaluate(() => (window as unknown as { DiReturn: (...a: unknown[]) => void }).DiReturn('setLanguage', 'ar'));
  await page.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = page.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').waitFor();
  await chat.locator('[part="entry"]', { hasText: 'اطلب أن نتصل بك' }).click();
  const view = chat.locator('direturn-callback-view');
  await view.locator('h2', { hasText: 'اطلب أن نتصل بك' }).waitFor();
  // Typed on an Arabic keyboard; the country list says Germany already.
  await view.locator('input[name="number"]').fill('٠١٧٠ ٥٥٥٠١٩٩');
  await view.locator('textarea[name="topic"]').fill('العودة إلى حلب');
  await view.locator('input[name="consent"]').check();
  await view.locator('button[type="submit"]').click();
  await view.getByText('لقد استلمنا طلبك').waitFor();
  await view.getByText('(اللغة: العربية)', { exact: false }).waitFor();
  const axe = await new AxeBuilder({ page }).include('direturn-chat').disableRules(['landmark-one-main', 'region', 'page-has-heading-one']).analyze();
  expect(axe.violations.map((v) => [v.id, v.nodes.map((n) => n.target)])).toEqual([]);
  expect(callbackRows(app.server.dataDir)).toMatchObject([{ status: 'waiting', language: 'ar', phone: expect.stringMatching(/^enc1\./) }]);

  // The counsellor: the request in the list, no number until claimed.
  const agentContext = await app.browser.newContext({ locale: 'de-DE' });
  const agentPage = await agentContext.newPage();
  agentPage.on('pageerror', (e) => errors.push(e.message));
  await agentPage.goto(`${app.server.url}/console/`);
  await agentPage.getByLabel(/e-mail/i).fill(COUNSELLOR.email);
  await agentPage.getByLabel(/passwort|password/i).fill(COUNSELLOR.password);
  await agentPage.getByRole('button', { name: /anmelden|log in/i }).click();
  await agentPage.locator('nav button[data-screen="callbacks"]').click();
  const screen = agentPage.locator('direturn-callbacks');
  await screen.locator('[part="counts"]', { hasText: 'Wartend: 1' }).waitFor();
  await screen.getByText('العودة إلى حلب').waitFor();
  expect(await screen.locator('a[href^="tel:"]').count()).toBe(0);
  await screen.locator('[part="claim"]').click();
  const number = screen.locator('a[part="number"]');
  await number.waitFor();
  expect(await number.getAttribute('href')).toBe('tel:+491705550199');
  expect(await number.textContent()).toBe('+49 170 5550199');

  await screen.locator('input[name="outcome"][value="done"]').check();
  await screen.locator('textarea[name="note"]').fill('Angerufen, Termin in der Beratungsstelle besprochen.');
  await screen.getByRole('button', { name: 'Ergebnis speichern' }).click();
  await screen.getByText('Gespeichert. Die Nummer wurde gelöscht.').waitFor();
  expect(await screen.locator('a[href^="tel:"]').count()).toBe(0);

  // The visitor sees it handled, in the view and in the chat.
  await view.getByText('طلب الاتصال الخاص بك').waitFor();
  await view.getByText('تم حذف رقم هاتفك.').waitFor();
  await view.getByRole('button', { name: 'العودة إلى المحادثة' }).click();
  await chat.locator('[part="bubble"]', { hasText: 'تمت معالجة طلب الاتصال.' }).waitFor();

  // The number (and the topic) are gone from the database; the outcome stays.
  expect(callbackRows(app.server.dataDir)).toEqual([{ status: 'closed', outcome: 'done', phone: null, topic: null, language: 'ar' }]);
  expect(errors).toEqual([]);
  await visitorContext.close();
  await agentContext.close();
});
