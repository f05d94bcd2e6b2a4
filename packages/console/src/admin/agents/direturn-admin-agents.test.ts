import type { AgentAdminDto } from '@direturn/protocol';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../../api/api-client.js';
import { initI18n } from '../../i18n/i18n.js';
import { adminAgent, json, stubFetch } from '../../test/helpers.js';
import './direturn-admin-agents.js';
import type { DireturnAdminAgents } from './direturn-admin-agents.js';

const AGENTS: AgentAdminDto[] = [
  { ...adminAgent, createdAt: 1, disabledAt: null, totpEnabled: true, sessions: 1 },
  { id: 'a2', email: 'cem@example.org', name: 'Cem', role: 'counsellor', languages: ['tr', 'de'], createdAt: 2, disabledAt: null, totpEnabled: true, sessions: 2 },
];

async function render() {
  const stub = stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/agents') return json(200, { agents: AGENTS });
    if (method === 'PATCH' && url === '/api/agents/a2') return json(200, { agent: { ...AGENTS[1]!, ...(body as object), disabledAt: (body as { disabled?: boolean }).disabled ? 5 : null } });
    if (method === 'DELETE' && url === '/api/agents/a2/sessions') return json(204, null);
    if (method === 'POST' && url === '/api/agents/a2/password') return json(200, { oneTimePassword: 'k7pd-x2mq-ttr9-4hwe', agent: { ...AGENTS[1]!, sessions: 0, passwordChangeRequired: true } });
    if (method === 'DELETE' && url === '/api/agents/a2/totp') return json(200, { agent: { ...AGENTS[1]!, totpEnabled: false, sessions: 0 } });
    if (method === 'POST' && url === '/api/agents') {
      const b = body as { password: string; name: string; email: string; role: 'admin' | 'counsellor'; languages: string[] };
      if (b.password.length < 12) return json(400, { error: { code: 'bad_request', message: 'The request is not valid.', issues: ['password: must be at least 12 characters'], details: [{ path: 'password', code: 'too_short', params: { min: 12 } }] } });
      return json(201, { agent: { id: 'a3', ...b, createdAt: 3, disabledAt: null, totpEnabled: false, sessions: 0 } });
    }
    return undefined;
  });
  const el = await fixture<DireturnAdminAgents>(html`<direturn-admin-agents .api=${new ApiClient({ fetch: stub.fetch })} .me=${adminAgent}></direturn-admin-agents>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelectorAll('tbody tr').length === 2, 'agents not listed');
  return { el, root, stub };
}

const button = (tr: Element, text: string) => [...tr.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;
const row = (root: ShadowRoot, name: string) => [...root.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')?.textContent === name)!;

describe('<direturn-admin-agents>', () => {
  before(() => initI18n('en'));

  it('lists agents in a table with column and row headers', async () => {
    const { root } = await render();
    expect(root.querySelector('h1')!.textContent).to.equal('Agents');
    expect([...root.querySelectorAll('thead th')].every((th) => th.getAttribute('scope') === 'col')).to.equal(true);
    const cem = row(root, 'Cem');
    expect(cem.textContent).to.contain('cem@example.org').and.to.contain('Counsellor').and.to.contain('Türkçe');
    // an admin cannot disable themselves
    expect(row(root, 'Ada').textContent).not.to.contain('Disable');
  });

  it('disables, revokes sessions and resets 2FA (after confirming)', async () => {
    const { el, root, stub } = await render();
    const disable = button(row(root, 'Cem'), 'Disable');
    expect(disable.getAttribute('aria-describedby')).to.equal('agent-a2');
    expect(root.getElementById('agent-a2')!.textContent).to.equal('Cem');
    disable.click();
    await waitUntil(() => row(root, 'Cem').textContent!.includes('Disabled'), 'not disabled');
    expect(stub.calls.at(-1)).to.deep.include({ method: 'PATCH', url: '/api/agents/a2', body: { disabled: true } });
    button(row(root, 'Cem'), 'End sessions').click();
    await waitUntil(() => root.querySelector('[part="status"]')!.textContent!.includes('All sessions of Cem have ended'), 'no status');
    button(row(root, 'Cem'), 'Reset two-factor').click();
    await el.updateComplete;
    expect(stub.calls.some((c) => c.url === '/api/agents/a2/totp')).to.equal(false);
    [...row(root, 'Cem').querySelectorAll('button')].find((b) => b.textContent === 'Yes, reset')!.click();
    await waitUntil(() => stub.calls.some((c) => c.method === 'DELETE' && c.url === '/api/agents/a2/totp'), 'not reset');
  });

  it('changes role and languages', async () => {
    const { el, root, stub } = await render();
    button(row(root, 'Cem'), 'Edit').click();
    await el.updateComplete;
    const form = root.querySelector<HTMLFormElement>('form[part="edit"]')!;
    form.querySelector<HTMLSelectElement>('select[name="role"]')!.value = 'admin';
    form.querySelector<HTMLInputElement>('input[value="ar"]')!.checked = true;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => stub.calls.some((c) => c.method === 'PATCH'), 'not saved');
    expect(stub.calls.at(-1)!.body).to.deep.equal({ role: 'admin', languages: ['de', 'tr', 'ar'] });
  });

  it('creates an agent and shows the server’s password issues', async () => {
    const { el, root, stub } = await render();
    const form = root.querySelector<HTMLFormElement>('form[part="create"]')!;
    (form.elements.namedItem('name') as HTMLInputElement).value = 'Dana';
    (form.elements.namedItem('email') as HTMLInputElement).value = 'dana@example.org';
    (form.elements.namedItem('password') as HTMLInputElement).value = 'short';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('form[part="create"] [part="error"]'), 'no error');
    expect(root.querySelector('form[part="create"] [part="error"]')!.textContent!.trim()).to.equal('Password: at least 12 characters.');
    (form.elements.namedItem('password') as HTMLInputElement).value = 'a long enough password';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelectorAll('tbody tr').length === 3, 'not added');
    expect(stub.calls.at(-1)!.body).to.deep.equal({ name: 'Dana', email: 'dana@example.org', password: 'a long enough password', role: 'counsellor', languages: ['de'] });
    await el.updateComplete;
  });

  it('resets a colleague’s password after confirmation and shows the one-time password once', async () => {
    const { el, root, stub } = await render();
    expect(button(row(root, 'Ada'), 'Reset password')).to.equal(undefined);
    button(row(root, 'Cem'), 'Reset password').click();
    await el.updateComplete;
    expect(row(root, 'Cem').textContent).to.contain('They will be logged out everywhere');
    button(row(root, 'Cem'), 'Reset').click();
    await waitUntil(() => root.querySelector('[part="one-time"]'), 'no one-time password');
    expect(root.querySelector('[part="one-time"] code')!.textContent).to.equal('k7pd-x2mq-ttr9-4hwe');
    expect(stub.calls.at(-1)).to.deep.include({ method: 'POST', url: '/api/agents/a2/password' });
    expect(row(root, 'Cem').textContent).to.contain('Must choose a new password');
    await expect(el).to.be.accessible();
    button(root.querySelector('[part="one-time"]')!, 'Hide').click();
    await el.updateComplete;
    expect(root.querySelector('[part="one-time"]')).to.equal(null);
  });

  for (const lang of ['de', 'ar', 'ru'] as const) {
    it(`is accessible in ${lang}`, async () => {
      await initI18n(lang);
      const { el, root } = await render();
      row(root, 'Cem').querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
