import { expect, it } from 'vitest';
import { serverAndBrowser } from '../support/app.js';
import { ADMIN } from '../support/server.js';

const app = serverAndBrowser();
const SHOTS = process.env.DIRETURN_SCREENSHOTS;

async function signIn(page: import('playwright-core').Page, email: string, password: string, de = false): Promise<void> {
  await page.goto(`${app.server.url}/console/`);
  await page.getByLabel(de ? 'E-Mail' : 'E-mail', { exact: true }).fill(email);
  await page.getByLabel(de ? 'Passwort' : 'Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: de ? 'Anmelden' : 'Sign in' }).click();
}

it('an admin resets a counsellor’s password; the counsellor signs in with the one-time password and must choose a new one first', async () => {
  const adminContext = await app.browser.newContext({ locale: 'en-US' });
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.locator('direturn-queue').waitFor();
  // A colleague, created through the API with the admin's session.
  const created = await admin.evaluate(async () =>
    (await fetch('/api/agents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'pari@example.org', name: 'Pari', password: 'Pari liest gern Gedichte', role: 'counsellor', languages: ['ps', 'de'] }) })).status,
  );
  expect(created).toBe(201);

  await admin.getByRole('navigation').getByRole('button', { name: 'Agents' }).click();
  const row = admin.locator('direturn-admin-agents tbody tr', { hasText: 'Pari' });
  await row.getByRole('button', { name: 'Reset password' }).click();
  await row.getByRole('button', { name: 'Reset', exact: true }).click();
  const code = admin.locator('direturn-admin-agents [part="one-time"] code');
  await code.waitFor();
  const oneTime = (await code.textContent())!.trim();
  expect(oneTime).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  if (SHOTS) await admin.screenshot({ path: `${SHOTS}/agents-reset.png`, fullPage: true });

  const pariContext = await app.browser.newContext({ locale: 'de-DE' });
  const pari = await pariContext.newPage();
  await signIn(pari, 'pari@example.org', oneTime, true);
  await pari.getByRole('heading', { name: 'Neues Passwort wählen' }).waitFor();
  await pari.getByLabel('Einmalpasswort').fill(oneTime);
  await pari.getByLabel('Neues Passwort', { exact: true }).fill('pari');
  await pari.getByRole('button', { name: 'Passwort ändern' }).click();
  // The server's issue, in German: no English sentence inside.
  await pari.getByText('Neues Passwort: mindestens 12 Zeichen.').waitFor();
  if (SHOTS) await pari.screenshot({ path: `${SHOTS}/password-required-de.png`, fullPage: true });
  await pari.getByLabel('Neues Passwort', { exact: true }).fill('Pari spricht Paschtu mit Freude');
  await pari.getByRole('button', { name: 'Passwort ändern' }).click();
  await pari.locator('direturn-queue').waitFor();
  await expect.poll(() => pari.locator('[part="connection"]').getAttribute('data-state')).toBe('online');
  await adminContext.close();
  await pariContext.close();
});

it('an admin sets opening hours for a site in the console; the embed code names the public address', async () => {
  const context = await app.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.locator('direturn-queue').waitFor();
  await page.getByRole('navigation').getByRole('button', { name: 'Sites' }).click();
  const row = page.locator('direturn-admin-sites tbody tr', { hasText: 'Demo partner page' }).first();
  await row.getByRole('button', { name: 'Edit' }).click();
  expect(await page.locator('direturn-admin-sites [part="snippet"]').first().textContent()).toBe(`<script type="module" src="${app.server.url}/widget.js" data-site="demo"></script>`);
  const form = page.locator('direturn-admin-sites tbody direturn-site-form');
  await form.getByLabel('Always open (no opening hours)').uncheck();
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/sites-edit.png`, fullPage: true });
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('direturn-admin-sites [part="status"]', { hasText: 'Demo partner page has been saved.' }).waitFor();
  const sites = await page.evaluate(async () => (await (await fetch('/api/sites')).json()) as { sites: Array<{ key: string; openingHours: Record<string, unknown> | null }> });
  expect(sites.sites.find((s) => s.key === 'demo')!.openingHours).toMatchObject({ mon: [{ from: '09:00', to: '16:00' }], sat: [] });
  await context.close();
});
