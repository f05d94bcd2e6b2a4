import { AxeBuilder } from '@axe-core/playwright';
import { expect, it } from 'vitest';
import { serverAndBrowser } from '../support/app.js';
import { login } from '../support/agent-client.js';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ADMIN, ROOT } from '../support/server.js';

// ws comes with the server package (as in support/visitor-client.ts).
interface WsClient {
  send(data: string): void;
  close(): void;
  on(event: 'open', fn: () => void): void;
  on(event: 'message', fn: (data: unknown) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}
const WebSocket = createRequire(join(ROOT, 'packages/server/package.json'))('ws') as new (url: string, opts: { headers: Record<string, string> }) => WsClient;

// The orientation check end to end: in Arabic → result → send to a counsellor → the console shows
// the case summary in German, and the queue lists the conversation first for an Arabic-speaking
// counsellor who covers the visitor's federal state. The demo ships the example rule set.
const app = serverAndBrowser();
const COUNSELLOR = { email: 'amal@example.org', name: 'Amal', password: 'a counsellor password 1', role: 'counsellor', languages: ['ar', 'de'], regions: ['05'] };

/** A visitor who wrote earlier in Farsi (a raw socket): the older conversation in the queue. */
async function olderConversation(url: string): Promise<void> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws/visitor', { headers: { origin: url } });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', site: 'demo', origin: url, language: 'fa' })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string };
      if (frame.type === 'welcome') ws.send(JSON.stringify({ type: 'send', clientId: 'older-farsi-1', body: 'سلام، یک سؤال دارم' }));
      if (frame.type === 'ack') resolve();
      if (frame.type === 'error') reject(new Error(String(data)));
    });
    ws.on('error', reject);
  });
  ws.close();
}

it('the check in Arabic → result → send to a counsellor → the case summary in German, first in the Arabic-speaking counsellor’s queue', async () => {
  const admin = await login(app.server.url, ADMIN.email, ADMIN.password);
  const created = await fetch(`${app.server.url}/api/agents`, { method: 'POST', headers: { cookie: admin, origin: app.server.url, 'content-type': 'application/json' }, body: JSON.stringify(COUNSELLOR) });
  expect(created.status).toBe(201);
  await olderConversation(app.server.url);

  const visitorContext = await app.browser.newContext({ locale: 'ar', viewport: { width: 360, height: 740 } });
  const page = await visitorContext.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Everything that leaves the page: HTTP requests (address and body) and WebSocket frames.
  const outgoing: string[] = [];
  page.on('request', (r) => outgoing.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
  page.on('websocket', (ws) => ws.on('framesent', (f) => outgoing.push(`WS ${String(f.payload)}`)));
  await page.goto(`${app.server.url}/demo/`);
  await page.evaluate(() => (window as unknown as { DiReturn: (...a: unknown[]) => void }).DiReturn('setLanguage', 'ar'));
  await page.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = page.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').waitFor();

  await chat.locator('[part="entry"]', { hasText: 'فحص التوجيه' }).click();
  const check = chat.locator('direturn-orientation-view');
  await check.locator('h2', { hasText: 'إلى أي بلد تريد العودة أو الانتقال؟' }).waitFor();
  const opened = outgoing.length;
  await check.locator('select').selectOption('IQ');
  await check.locator('button[type="submit"]').click();
  await check.locator('select').selectOption('05');
  await check.locator('button[type="submit"]').click();
  await check.locator('label', { hasText: 'مرفوض / ملزم بالمغادرة' }).click();
  await check.locator('button[type="submit"]').click();
  // skip the rest
  while (await check.locator('form').count()) await check.getByRole('button', { name: 'تخطٍّ' }).click();
  const result = check.locator('[part="result"]');
  await result.getByText('REAG/GARP 2.0 (الحكومة الاتحادية والولايات)').waitFor();
  await result.getByText('StarthilfePlus (ستارتهيلفه بلس)').waitFor();
  await result.getByText('يتحقق مستشارك مما إذا كان هذا ينطبق عليك').first().waitFor();
  const axe = await new AxeBuilder({ page }).include('direturn-chat').disableRules(['landmark-one-main', 'region', 'page-has-heading-one']).analyze();
  expect(axe.violations.map((v) => [v.id, v.nodes.map((n) => n.target)])).toEqual([]);

  // Nothing about the answers left the browser before "send".
  const beforeSend = outgoing.slice(opened).join('\n');
  expect(beforeSend).not.toMatch(/IQ|rejected|"05"|"case"/);

  await check.getByRole('button', { name: 'أرسل إلى مستشار' }).click();
  await chat.locator('[part="bubble"]', { hasText: 'أجريت فحص التوجيه. هذا ملخصي.' }).waitFor();
  expect(outgoing.slice(opened).some((o) => o.startsWith('WS ') && o.includes('"kind":"case"') && o.includes('"IQ"'))).toBe(true);

  // The Arabic-speaking counsellor for Nordrhein-Westfalen: this conversation first, before the older Farsi one.
  const agentContext = await app.browser.newContext({ locale: 'de-DE' });
  const agentPage = await agentContext.newPage();
  agentPage.on('pageerror', (e) => errors.push(e.message));
  await agentPage.goto(`${app.server.url}/console/`);
  await agentPage.getByLabel(/e-mail/i).fill(COUNSELLOR.email);
  await agentPage.getByLabel(/passwort|password/i).fill(COUNSELLOR.password);
  await agentPage.getByRole('button', { name: /anmelden|log in/i }).click();
  const queue = agentPage.locator('direturn-queue');
  await queue.getByText('أجريت فحص التوجيه').waitFor();
  await queue.getByText('سلام، یک سؤال دارم').waitFor();
  const items = queue.locator('[part="item"]');
  expect(await items.first().textContent()).toContain('أجريت فحص التوجيه');
  await items.first().locator('[part="claim"]').click();

  // The case summary at the top of the conversation, in German.
  const summary = agentPage.locator('direturn-case-summary');
  await summary.getByText('Fallzusammenfassung aus dem Orientierungs-Check').waitFor();
  await summary.getByText('Abgelehnt / ausreisepflichtig / Duldung').waitFor();
  await summary.getByText('Nordrhein-Westfalen').first().waitFor();
  await summary.getByText(/Irak/).waitFor();
  await summary.getByText('REAG/GARP 2.0 (Bund und Länder)').waitFor();
  await summary.getByText('Beispielinhalt', { exact: false }).waitFor();
  expect(errors).toEqual([]);
  await visitorContext.close();
  await agentContext.close();
});
