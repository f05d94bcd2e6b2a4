import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { SMTPServer } from 'smtp-server';
import { launchChromium } from '../support/browser.js';
import { ADMIN, startServerProcess, type ServerProcess } from '../support/server.js';
import { createServer } from 'node:net';

// The office search and a warm referral, end to end: the built server as its own process (demo
// mode: the example offices), a real SMTP server, Debian's Chromium for visitor, counsellor and office.

let server: ServerProcess;
let browser: Browser;
let smtp: SMTPServer;
const mails: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

beforeAll(async () => {
  const smtpPort = await freePort();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(smtpPort, '127.0.0.1', () => r()));
  server = await startServerProcess({
    DIRETURN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    DIRETURN_MAIL_FROM: 'DiReturn <noreply@direturn.example.org>',
    DIRETURN_OUTBOX_POLL_SECONDS: '0.2',
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((r) => smtp.close(() => r()));
});

async function openChat(page: Page) {
  await page.goto(`${server.url}/demo/`);
  await page.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = page.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').waitFor();
  return chat;
}

it('finds the responsible offices in Turkish, without a chat, storing nothing', async () => {
  const context = await browser.newContext({ locale: 'tr-TR' });
  const page = await context.newPage();
  const chat = await openChat(page);
  // The demo page says lang="de"; the visitor switches the chat to Turkish.
  await chat.locator('[part="language"]').selectOption('tr');
  await chat.getByRole('button', { name: 'Danışma merkezimi bul' }).click();
  const search = chat.locator('direturn-office-search');
  await search.getByRole('heading', { name: 'Danışma merkezimi bul' }).waitFor();
  await search.getByLabel('Posta kodu').fill('80331');
  await search.getByRole('button', { name: 'Ara', exact: true }).click();
  // Munich lies in Upper Bavaria: both example centres of the government district, the person may choose.
  await search.getByText('Bu merkezlerden istediğinizi seçebilirsiniz.').waitFor();
  const offices = search.locator('[part="office"]');
  await expect.poll(() => offices.count()).toBe(2);
  expect(await offices.first().textContent()).toContain('Oberbayern');
  expect(await offices.first().textContent()).toContain('Yalnızca örnek'); // marked as an example
  expect(await search.locator('[part="credit"]').textContent()).toContain('GeoNames');
  // A postcode of post boxes only gets its own answer.
  await search.getByLabel('Posta kodu').fill('07740');
  await search.getByRole('button', { name: 'Ara', exact: true }).click();
  await search.getByText('posta kutularına veya büyük kuruluşlara').waitFor();
  const axe = await new AxeBuilder({ page }).analyze(); // the partner page and, inside it, the chat frame with the search
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // Stores nothing: no conversation was started, nothing about the search in the frame's storage.
  const frame = page.frames().find((f) => f.url().includes('/widget/frame'))!;
  const stored = await frame.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).not.toContain('80331');
  expect(stored).not.toContain('07740');
  await context.close();
});

it('refers a visitor with consent: the counsellor proposes, the visitor agrees, the mail arrives, the office confirms, console and widget show it', async () => {
  // The visitor writes where they live.
  const visitorContext = await browser.newContext({ locale: 'de-DE' });
  const visitorPage = await visitorContext.newPage();
  const chat = await openChat(visitorPage);
  await chat.locator('textarea').fill('Ich wohne in 10115 Berlin und möchte in den Irak zurück.');
  await chat.locator('textarea').press('Enter');

  // The counsellor takes the conversation and refers.
  const agentContext = await browser.newContext({ locale: 'de-DE' });
  const agentPage = await agentContext.newPage();
  await agentPage.goto(`${server.url}/console/`);
  await agentPage.getByLabel(/e-mail/i).fill(ADMIN.email);
  await agentPage.getByLabel(/passwort|password/i).fill(ADMIN.password);
  await agentPage.getByRole('button', { name: /anmelden|log in/i }).click();
  await agentPage.locator('direturn-queue [part="claim"]').first().click();
  const view = agentPage.locator('direturn-conversation-view');
  await view.getByText('Ich wohne in 10115 Berlin').waitFor();
  await view.locator('button[part="refer"]').click();
  const dialog = view.locator('direturn-refer-dialog dialog');
  // Prefilled with the postcode the visitor wrote, searched at once.
  expect(await dialog.getByLabel('Postleitzahl').inputValue()).toBe('10115');
  await dialog.getByText('Beispiel: Rückkehrberatung Berlin').waitFor();
  await dialog.getByLabel('Rückkehrland').fill('Irak');
  await dialog.getByLabel('Situation').fill('Alleinstehend, Duldung, möchte freiwillig zurück');
  await dialog.getByRole('button', { name: 'Der Person vorschlagen' }).click();
  await view.getByText('Wartet auf Zustimmung der Person', { exact: true }).waitFor();
  expect(mails).toEqual([]); // nothing is sent without consent

  // The visitor sees exactly what would be shared, adds a phone number for this office, agrees.
  const consent = chat.locator('direturn-referral-consent');
  await consent.getByText('Alleinstehend, Duldung, möchte freiwillig zurück').waitFor();
  await consent.getByText('Beispiel: Rückkehrberatung Berlin').first().waitFor();
  await consent.getByLabel('Per Telefon').check();
  await consent.getByLabel('Ihre Telefonnummer').fill('+49 170 5550199');
  await consent.getByRole('button', { name: 'Ja, weitergeben' }).click();

  // The mail arrives at the office (German, the link, nothing personal).
  await expect.poll(() => mails.length, { timeout: 15_000 }).toBe(1);
  const mail = mails[0]!;
  expect(mail).toMatch(/To: berlin@example\.org/i);
  expect(mail).not.toContain('5550199');
  const body = /Content-Transfer-Encoding: quoted-printable/i.test(mail) ? mail.replace(/=\r?\n/g, '') : mail;
  const link = /(http:\/\/localhost:\d+\/referral\/[A-Za-z0-9_-]{43})/.exec(body)![1]!;
  await consent.getByText('an die Stelle gesendet').waitFor();

  // The office opens the link (no account, no JavaScript needed) and confirms receipt.
  const officeContext = await browser.newContext({ locale: 'de-DE', javaScriptEnabled: false });
  const officePage = await officeContext.newPage();
  await officePage.goto(link);
  expect(await officePage.textContent('body')).not.toContain('5550199');
  await officePage.getByRole('button', { name: 'Eingang bestätigen und öffnen' }).click();
  await officePage.getByText('Alleinstehend, Duldung, möchte freiwillig zurück').waitFor();
  await officePage.getByText('+49 170 5550199').waitFor();

  // Console and widget show it.
  await view.getByText('Stelle hat den Eingang bestätigt', { exact: true }).waitFor();
  await consent.getByText('Die Stelle hat Ihr Anliegen erhalten.').waitFor();
  // The office reports the first appointment.
  await officePage.getByLabel('Erstgespräch vereinbart').check();
  await officePage.getByRole('button', { name: 'Ergebnis melden' }).click();
  await view.getByText('Erstgespräch', { exact: true }).waitFor();
  await consent.getByText('einen ersten Termin').waitFor();

  expect(server.output()).not.toContain('5550199');
  await officeContext.close();
  await agentContext.close();
  await visitorContext.close();
});
