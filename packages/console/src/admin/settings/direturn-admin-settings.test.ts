import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../../api/api-client.js';
import { initI18n } from '../../i18n/i18n.js';
import { adminAgent, json, stubFetch } from '../../test/helpers.js';
import './direturn-admin-settings.js';
import type { DireturnAdminSettings } from './direturn-admin-settings.js';

async function render(me = adminAgent) {
  const stub = stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/settings') return json(200, { settings: { retentionDays: 90, requireTotp: false } });
    if (method === 'PATCH' && url === '/api/settings') {
      if ((body as { requireTotp?: boolean }).requireTotp && !me.totpEnabled) {
        return json(400, { error: { code: 'bad_request', message: 'Set up two-factor authentication for yourself before you require it from everyone.' } });
      }
      return json(200, { settings: { retentionDays: 90, requireTotp: false, ...(body as object) } });
    }
    return undefined;
  });
  const el = await fixture<DireturnAdminSettings>(html`<direturn-admin-settings .api=${new ApiClient({ fetch: stub.fetch })} .me=${me}></direturn-admin-settings>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('form'), 'no form');
  return { el, root, stub };
}

describe('<direturn-admin-settings>', () => {
  before(() => initI18n('en'));

  it('saves retention days and 2FA enforcement', async () => {
    const { root, stub } = await render();
    const days = root.querySelector<HTMLInputElement>('input[name="retentionDays"]')!;
    expect(days.value).to.equal('90');
    days.value = '30';
    root.querySelector<HTMLInputElement>('input[name="requireTotp"]')!.checked = true;
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[part="status"]')!.textContent!.includes('Settings saved'), 'not saved');
    expect(stub.calls.at(-1)!.body).to.deep.equal({ retentionDays: 30, requireTotp: true });
  });

  it('explains clearly that the admin needs 2FA first', async () => {
    const { root } = await render({ ...adminAgent, totpEnabled: false });
    expect(root.querySelector('#totp-hint')!.textContent).to.contain('only require this after turning on');
    root.querySelector<HTMLInputElement>('input[name="requireTotp"]')!.checked = true;
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
    expect(root.querySelector('[role="alert"] [part="error"]')!.textContent).to.contain('Turn on two-factor authentication for yourself first');
  });

  it('refuses an impossible retention period without calling the server', async () => {
    const { el, root, stub } = await render();
    root.querySelector<HTMLInputElement>('input[name="retentionDays"]')!.value = '0';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await el.updateComplete;
    expect(stub.calls.filter((c) => c.method === 'PATCH')).to.have.length(0);
    expect(root.querySelector('[part="error"]')!.textContent).to.contain('1 to 3650');
  });

  for (const lang of ['de', 'ar', 'ru'] as const) {
    it(`is accessible in ${lang}`, async () => {
      await initI18n(lang);
      const { el } = await render();
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
