import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, json, stubFetch } from '../test/helpers.js';
import './direturn-password-form.js';
import type { DireturnPasswordForm } from './direturn-password-form.js';

async function render(handler: Parameters<typeof stubFetch>[0], required = false) {
  const stub = stubFetch(handler);
  const el = await fixture<DireturnPasswordForm>(html`<direturn-password-form .api=${new ApiClient({ fetch: stub.fetch })} ?required=${required}></direturn-password-form>`);
  const root = el.shadowRoot!;
  const fill = (current: string, next: string) => {
    (root.querySelector('input[name=current]') as HTMLInputElement).value = current;
    (root.querySelector('input[name=new]') as HTMLInputElement).value = next;
    root.querySelector('form')!.requestSubmit();
  };
  return { el, root, stub, fill };
}
const errors = (root: ShadowRoot) => [...root.querySelectorAll('[part=error] li')].map((li) => li.textContent!.trim());

describe('<direturn-password-form>', () => {
  after(() => initI18n('en'));

  it('changes the password and reports that other sessions ended', async () => {
    await initI18n('en');
    let updated: unknown;
    const { el, root, stub, fill } = await render((method, url) => (method === 'POST' && url === '/api/me/password' ? json(200, { agent, otherSessionsEnded: 2 }) : undefined));
    el.addEventListener('direturn-agent-updated', (e) => (updated = (e as CustomEvent & { agent: unknown }).agent));
    fill('the old one here', 'drei Katzen im Treppenhaus');
    await waitUntil(() => root.querySelector('[part=status]')!.textContent!.trim() !== '', 'no status');
    expect(root.querySelector('[part=status]')!.textContent).to.contain('logged out on your other devices');
    expect(stub.calls[0]!.body).to.deep.equal({ currentPassword: 'the old one here', newPassword: 'drei Katzen im Treppenhaus' });
    expect(updated).to.deep.equal(agent);
    expect((root.querySelector('input[name=new]') as HTMLInputElement).value).to.equal('');
  });

  it('translates the server’s coded issues: no English inside a German sentence', async () => {
    await initI18n('de');
    const { root, fill } = await render(() =>
      json(400, {
        error: {
          code: 'bad_request',
          message: 'The request is not valid.',
          issues: ['newPassword: must be at least 12 characters'],
          details: [{ path: 'newPassword', code: 'too_short', params: { min: 12 } }],
        },
      }),
    );
    fill('altes Passwort', 'kurz');
    await waitUntil(() => errors(root).length > 0, 'no error');
    expect(errors(root)).to.deep.equal(['Neues Passwort: mindestens 12 Zeichen.']);
    expect(root.textContent).not.to.contain('must be');
  });

  it('says when the current password is wrong, and when to wait', async () => {
    await initI18n('en');
    let n = 0;
    const { root, fill } = await render(() =>
      ++n === 1 ? json(401, { error: { code: 'invalid_credentials', message: 'x' } }) : json(429, { error: { code: 'rate_limited', message: 'x', retryAfterSeconds: 30 } }),
    );
    fill('wrong', 'drei Katzen im Treppenhaus');
    await waitUntil(() => errors(root).length > 0);
    expect(errors(root)).to.deep.equal(['The current password is not correct.']);
    fill('wrong again', 'drei Katzen im Treppenhaus');
    await waitUntil(() => errors(root)[0]?.includes('30'));
  });

  it('after a reset: explains the one-time password; accessible', async () => {
    await initI18n('en');
    const { el, root } = await render(() => undefined, true);
    expect(root.querySelector('h2')!.textContent).to.equal('Choose a new password');
    expect(root.textContent).to.contain('One-time password');
    (root.querySelector('input[type=checkbox]') as HTMLInputElement).click();
    await el.updateComplete;
    expect((root.querySelector('input[name=new]') as HTMLInputElement).type).to.equal('text');
    await expect(el).to.be.accessible();
  });
});
