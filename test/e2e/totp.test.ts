import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { serverAndBrowser } from '../support/app.js';
import { ADMIN } from '../support/server.js';

const app = serverAndBrowser();

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of input.replace(/=+$/, '').toUpperCase()) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) for a time step. */
function totp(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(binary).padStart(6, '0');
}

it('an admin enrols 2FA in the console, signs out, and signs in again with password and TOTP code', async () => {
  // Self-check of the TOTP helper against RFC 6238's SHA-1 test vector (T = 59 s → 94287082, 8 digits → last 6).
  expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1)).toBe('287082');

  const context = await app.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${app.server.url}/console/`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('direturn-queue').waitFor();

  // Profile → set up two-factor authentication.
  await page.getByRole('navigation').getByRole('button', { name: 'Profile' }).click();
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const qr = page.locator('direturn-totp-setup img[part="qr"]');
  await qr.waitFor();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
  // The image really renders (CSP allows img-src data:).
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const secret = (await page.locator('direturn-totp-setup [part="secret"]').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);

  const enrolStep = Math.floor(Date.now() / 30_000);
  await page.getByLabel('Code from the app').fill(totp(secret, enrolStep));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  const codes = page.locator('direturn-totp-setup [part="recovery-codes"] li');
  // The server hashes each recovery code with argon2id before it answers (a quarter second or more).
  await expect.poll(() => codes.count(), { timeout: 10_000 }).toBe(10);
  await page.getByLabel('I have stored my recovery codes in a safe place.').check();
  await page.getByRole('button', { name: 'Done' }).click();
  await page.locator('direturn-profile').getByText('Two-factor authentication is on.').first().waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('E-mail').waitFor();

  // Password alone is not enough any more.
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const code = page.getByLabel('Code', { exact: true });
  await code.waitFor();
  expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
  // The enrolment code's step is used up; the next step is accepted (±1 step drift window).
  await code.fill(totp(secret, Math.max(enrolStep + 1, Math.floor(Date.now() / 30_000))));
  await page.getByRole('button', { name: 'Confirm' }).click();

  await page.locator('direturn-queue').waitFor();
  await expect.poll(() => page.locator('[part="connection"]').getAttribute('data-state')).toBe('online');
  await context.close();
});
