import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { LoginEvent } from '../events/events.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, json, stubFetch } from '../test/helpers.js';
import './direturn-login.js';
import type { DireturnLogin } from './direturn-login.js';

async function render(handler: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch(handler);
  const el = await fixture<DireturnLogin>(html`<direturn-login .api=${new ApiClient({ fetch: stub.fetch })}></direturn-login>`);
  return { el, stub };
}

function fill(el: DireturnLogin, email: string, password: string) {
  const root = el.shadowRoot!;
  root.querySelector<HTMLInputElement>('input[name="email"]')!.value = email;
  root.querySelector<HTMLInputElement>('input[name="password"]')!.value = password;
  root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<direturn-login>', () => {
  before(() => initI18n('en'));

  it('labels its fields', async () => {
    const { el } = await render(() => undefined);
    const labels = [...el.shadowRoot!.querySelectorAll('label')].map((l) => l.textContent?.trim());
    expect(labels).to.deep.equal(['E-mail', 'Password']);
  });

  it('posts the typed credentials and fires direturn-login with the agent', async () => {
    const { el, stub } = await render((method, url) => (method === 'POST' && url === '/api/auth/login' ? json(200, { agent }) : undefined));
    const event = oneEvent(el, LoginEvent.eventName) as Promise<LoginEvent>;
    fill(el, '  anna@example.org ', 'correct horse');
    const fired = await event;
    expect(fired.agent).to.deep.equal(agent);
    expect(fired.bubbles && fired.composed).to.equal(true);
    expect(stub.calls).to.have.length(1);
    expect(stub.calls[0]).to.deep.include({ url: '/api/auth/login', method: 'POST' });
    expect(stub.calls[0]!.body).to.deep.equal({ email: 'anna@example.org', password: 'correct horse' });
    expect(stub.calls[0]!.headers['content-type']).to.equal('application/json');
  });

  it('shows a generic error on 401 invalid_credentials and clears the password', async () => {
    const { el } = await render(() => json(401, { error: { code: 'invalid_credentials', message: 'Invalid e-mail or password' } }));
    let fired = false;
    el.addEventListener(LoginEvent.eventName, () => (fired = true));
    fill(el, 'anna@example.org', 'wrong');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    const error = el.shadowRoot!.querySelector('[part="error"]');
    expect(error?.textContent?.trim()).to.equal('E-mail address or password is not correct.');
    expect(error?.closest('[role="alert"]')).to.exist;
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('input[name="password"]')!.value).to.equal('');
    expect(fired).to.equal(false);
  });

  it('shows the rate-limit message on 429', async () => {
    const { el } = await render(() => json(429, { error: { code: 'rate_limited', message: 'Slow down' } }));
    fill(el, 'anna@example.org', 'x');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="error"]')?.textContent).to.contain('Too many attempts');
  });

  it('says that a one-time password expired, instead of calling it wrong', async () => {
    const { el } = await render(() => json(403, { error: { code: 'password_expired', message: 'expired' } }));
    fill(el, 'anna@example.org', 'abcd-efgh-jkmn-pqrs');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="error"]')?.textContent?.trim()).to.equal('This one-time password has expired. Ask an admin for a new one.');
  });

  it('does not call the server when a field is empty', async () => {
    const { el, stub } = await render(() => json(200, { agent }));
    fill(el, '', '');
    await el.updateComplete;
    expect(stub.calls).to.have.length(0);
    expect(el.shadowRoot!.querySelector('[part="error"]')).to.exist;
  });

  it('is accessible', async () => {
    const { el } = await render(() => undefined);
    await expect(el).to.be.accessible();
  });

  it('is accessible with an error shown', async () => {
    const { el } = await render(() => json(401, { error: { code: 'invalid_credentials', message: 'no' } }));
    fill(el, 'anna@example.org', 'wrong');
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
