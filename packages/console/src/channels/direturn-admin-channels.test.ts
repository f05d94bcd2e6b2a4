import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ChannelAccountDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-admin-channels.js';
import type { DireturnAdminChannels } from './direturn-admin-channels.js';

const SITE = { id: '22222222-2222-4222-8222-222222222222', key: 'demo', name: 'Caritas Augsburg', allowedOrigins: ['https://c.example'], defaultLanguage: 'de' as const };
const TOKEN = '123456789:AAThisIsTheSecretPartOfTheToken_0123';

function account(overrides: Partial<ChannelAccountDto> = {}): ChannelAccountDto {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    kind: 'telegram',
    name: 'Rückkehr-Bot',
    siteId: SITE.id,
    siteName: SITE.name,
    status: 'active',
    settings: { botUsername: 'rueckkehr_bot' },
    secretsSet: ['botToken', 'webhookSecret'],
    webhookUrl: 'https://chat.example.org/webhooks/telegram/33333333-3333-4333-8333-333333333333',
    lastEventAt: Date.UTC(2026, 11, 16, 9, 30),
    lastError: 'Telegram answered 502 (Bad Gateway); trying again.',
    lastErrorAt: Date.UTC(2026, 11, 16, 9, 0),
    createdAt: Date.UTC(2026, 11, 1),
    ...overrides,
  };
}

async function render(accounts: ChannelAccountDto[] = [account()]) {
  let list = [...accounts];
  const stub = stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/sites') return json(200, { sites: [SITE], publicUrl: 'https://chat.example.org' });
    if (method === 'GET' && url === '/api/channels') return json(200, { accounts: list });
    if (method === 'POST' && url === '/api/channels') {
      const input = body as { name: string; secrets: Record<string, string> };
      if (!/^\d+:/.test(input.secrets.botToken ?? '')) return json(400, { error: { code: 'bad_request', message: 'The channel account is not valid.', details: [{ path: 'secrets.botToken', code: 'invalid_format' }] } });
      const created = account({ id: '44444444-4444-4444-8444-444444444444', name: input.name, lastEventAt: null, lastError: null, lastErrorAt: null });
      list = [...list, created];
      return json(201, { account: created });
    }
    const action = /^\/api\/channels\/([^/]+)\/(pause|resume|connect)$/.exec(url);
    if (method === 'POST' && action) {
      const current = list.find((a) => a.id === action[1])!;
      const updated = { ...current, status: action[2] === 'pause' ? ('paused' as const) : ('active' as const) };
      list = list.map((a) => (a.id === updated.id ? updated : a));
      return json(200, { account: updated });
    }
    if (method === 'DELETE' && url.startsWith('/api/channels/')) return json(204, null);
    return undefined;
  });
  const el = await fixture<DireturnAdminChannels>(html`<direturn-admin-channels .api=${new ApiClient({ fetch: stub.fetch })}></direturn-admin-channels>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('tbody th') || root.querySelector('tbody td[colspan]'), 'no table');
  return { el, root, stub };
}

const rowText = (root: ShadowRoot) => (root.querySelector('tbody tr')?.textContent ?? '').replace(/\s+/g, ' ');

describe('<direturn-admin-channels>', () => {
  before(() => initI18n('en'));

  it('lists accounts with their site, status and health (last event, last error, webhook address), never a secret', async () => {
    const { root } = await render();
    const text = rowText(root);
    expect(text).to.contain('Rückkehr-Bot').and.to.contain('Telegram').and.to.contain('Caritas Augsburg').and.to.contain('Active');
    expect(text).to.contain('Last event:').and.to.contain('Telegram answered 502').and.to.contain('/webhooks/telegram/');
    expect(root.querySelector('tbody')!.textContent).not.to.contain('webhookSecret');
  });

  it('adds a Telegram bot: the token goes in a password field, is sent once and leaves the form', async () => {
    const { el, root, stub } = await render([]);
    const form = root.querySelector<HTMLFormElement>('form[part="form"]')!;
    const token = form.querySelector<HTMLInputElement>('input[name="secret.botToken"]')!;
    expect(token.type).to.equal('password');
    expect(token.autocomplete).to.equal('new-password');
    form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'Beratung Telegram';
    token.value = 'not a token';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('form [part="error"]'), 'no error');
    expect(root.querySelector('form [part="error"]')!.textContent).to.contain('Bot token: this value has the wrong form.');
    token.value = TOKEN;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelectorAll('tbody th').length === 1, 'not added');
    expect(stub.calls.filter((c) => c.method === 'POST' && c.url === '/api/channels').at(-1)!.body).to.deep.equal({
      kind: 'telegram',
      name: 'Beratung Telegram',
      siteId: SITE.id,
      settings: {},
      secrets: { botToken: TOKEN },
    });
    await el.updateComplete;
    expect(token.value).to.equal('');
    expect(root.querySelector('[part="status"]')!.textContent).to.contain('Now connect it');
    expect(root.innerHTML).not.to.contain('AAThisIsTheSecretPart');
  });

  it('connects, pauses and resumes an account, and removes it after a confirmation', async () => {
    const { el, root, stub } = await render();
    const button = (label: string) => [...root.querySelectorAll<HTMLButtonElement>('tbody button')].find((b) => b.textContent!.trim() === label)!;
    button('Connect').click();
    await waitUntil(() => root.querySelector('[part="status"]')!.textContent!.includes('is connected'), 'not connected');
    button('Pause').click();
    await waitUntil(() => rowText(root).includes('Paused'), 'not paused');
    button('Resume').click();
    await waitUntil(() => rowText(root).includes('Active'), 'not resumed');
    button('Remove').click();
    await el.updateComplete;
    expect(stub.calls.some((c) => c.method === 'DELETE')).to.equal(false);
    button('Yes, remove').click();
    await waitUntil(() => root.querySelector('tbody td[colspan]'), 'not removed');
    expect(stub.calls.map((c) => `${c.method} ${c.url.replace(/[0-9a-f-]{36}/, 'ID')}`)).to.include.members([
      'POST /api/channels/ID/connect',
      'POST /api/channels/ID/pause',
      'POST /api/channels/ID/resume',
      'DELETE /api/channels/ID',
    ]);
  });

  for (const lang of ['de', 'ar', 'ka'] as const) {
    it(`is accessible in ${lang}`, async () => {
      await initI18n(lang);
      const { el } = await render();
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
