import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { TotpEnabledEvent } from '../events/events.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-totp-setup.js';
import type { DireturnTotpSetup } from './direturn-totp-setup.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/><script>window.pwned=1</script></svg>';
const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`);

async function render(enable: (code: string) => Response = () => json(200, { recoveryCodes: CODES })) {
  const stub = stubFetch((method, url, body) => {
    if (method === 'POST' && url === '/api/me/totp/setup') return json(200, { secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://totp/DiReturn:anna?secret=JBSWY3DPEHPK3PXP', qrSvg: SVG });
    if (method === 'POST' && url === '/api/me/totp/enable') return enable((body as { code: string }).code);
    return undefined;
  });
  const el = await fixture<DireturnTotpSetup>(html`<direturn-totp-setup .api=${new ApiClient({ fetch: stub.fetch })}></direturn-totp-setup>`);
  const root = el.shadowRoot!;
  root.querySelector<HTMLButtonElement>('button')!.click();
  await waitUntil(() => root.querySelector('img[part="qr"]'), 'no QR code');
  return { el, root, stub };
}

function confirm(root: ShadowRoot, code: string) {
  root.querySelector<HTMLInputElement>('input[name="code"]')!.value = code;
  root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<direturn-totp-setup>', () => {
  before(() => initI18n('en'));

  it('shows the QR code as an image (never as markup) and the secret as text', async () => {
    const { root } = await render();
    const img = root.querySelector<HTMLImageElement>('img[part="qr"]')!;
    expect(img.src.startsWith('data:image/svg+xml')).to.equal(true);
    expect(decodeURIComponent(img.src.split(',')[1]!)).to.equal(SVG);
    expect(img.alt).to.contain('QR code');
    expect(root.querySelector('svg')).to.equal(null);
    expect(root.querySelector('script')).to.equal(null);
    expect((window as unknown as { pwned?: number }).pwned).to.equal(undefined);
    expect(root.querySelector('[part="secret"]')!.textContent).to.equal('JBSWY3DPEHPK3PXP');
    const code = root.querySelector('input[name="code"]')!;
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(code.getAttribute('inputmode')).to.equal('numeric');
  });

  it('confirms with a code, then shows the recovery codes once and asks to store them', async () => {
    const { el, root, stub } = await render();
    confirm(root, '123456');
    await waitUntil(() => root.querySelector('[part="recovery-codes"]'), 'no recovery codes');
    expect(stub.calls.at(-1)!.body).to.deep.equal({ code: '123456' });
    expect([...root.querySelectorAll('[part="recovery-codes"] li')].map((li) => li.textContent)).to.deep.equal(CODES);
    expect(root.textContent).to.contain('Store these codes now');
    // "Done" without confirming shows an error and fires nothing
    let fired = false;
    el.addEventListener(TotpEnabledEvent.eventName, () => (fired = true));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await el.updateComplete;
    expect(fired).to.equal(false);
    expect(root.querySelector('[part="error"]')!.textContent).to.contain('confirm');
    root.querySelector<HTMLInputElement>('input[name="stored"]')!.checked = true;
    const event = oneEvent(el, TotpEnabledEvent.eventName);
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await event;
  });

  it('explains a wrong code', async () => {
    const { root } = await render(() => json(401, { error: { code: 'invalid_credentials', message: 'no' } }));
    confirm(root, '000000');
    await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
    expect(root.querySelector('[part="error"]')!.textContent).to.contain('not correct');
    expect(root.querySelector('[part="recovery-codes"]')).to.equal(null);
  });

  for (const lang of ['de', 'ar', 'ru'] as const) {
    it(`is accessible in ${lang} in every step`, async () => {
      await initI18n(lang);
      const { el, root } = await render();
      await expect(el).to.be.accessible();
      confirm(root, '123456');
      await waitUntil(() => root.querySelector('[part="recovery-codes"]'), 'no recovery codes');
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
