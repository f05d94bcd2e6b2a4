import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { LoginEvent } from '../events/events.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, json, stubFetch } from '../test/helpers.js';
import './direturn-login.js';
import type { DireturnLogin } from './direturn-login.js';

const CHALLENGE = 'c'.repeat(32);

async function toSecondStep(handler: (code: string) => Response) {
  const stub = stubFetch((method, url, body) => {
    if (method === 'POST' && url === '/api/auth/login') return json(200, { totpRequired: true, challenge: CHALLENGE });
    if (method === 'POST' && url === '/api/auth/login/totp') return handler((body as { code: string }).code);
    return undefined;
  });
  const el = await fixture<DireturnLogin>(html`<direturn-login .api=${new ApiClient({ fetch: stub.fetch })}></direturn-login>`);
  const root = el.shadowRoot!;
  root.querySelector<HTMLInputElement>('input[name="email"]')!.value = 'anna@example.org';
  root.querySelector<HTMLInputElement>('input[name="password"]')!.value = 'correct horse';
  root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await waitUntil(() => root.querySelector('input[name="code"]'), 'no second step');
  return { el, root, stub };
}

function submitCode(root: ShadowRoot, code: string) {
  root.querySelector<HTMLInputElement>('input[name="code"]')!.value = code;
  root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('<direturn-login> second factor', () => {
  before(() => initI18n('en'));

  it('asks for the code in an accessible one-time-code field and focuses it', async () => {
    const { el, root } = await toSecondStep(() => json(200, { agent }));
    const input = root.querySelector<HTMLInputElement>('input[name="code"]')!;
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    expect(input.closest('label')!.textContent).to.contain('Code');
    expect(root.activeElement).to.equal(input);
    expect(root.querySelector('h1')!.textContent).to.equal('Two-factor authentication');
    // no password field any more, and the password was cleared
    expect(root.querySelector('input[name="password"]')).to.equal(null);
    await el.updateComplete;
  });

  it('posts challenge and code (spaces removed) and fires direturn-login', async () => {
    const { el, root, stub } = await toSecondStep(() => json(200, { agent }));
    const event = oneEvent(el, LoginEvent.eventName) as Promise<LoginEvent>;
    submitCode(root, '123 456');
    expect((await event).agent).to.deep.equal(agent);
    expect(stub.calls.at(-1)!.body).to.deep.equal({ challenge: CHALLENGE, code: '123456' });
  });

  it('accepts a recovery code', async () => {
    const { root, stub } = await toSecondStep(() => json(200, { agent }));
    submitCode(root, 'ABCDE-12345');
    await waitUntil(() => stub.calls.length === 2, 'not posted');
    expect(stub.calls[1]!.body).to.deep.equal({ challenge: CHALLENGE, code: 'abcde-12345' });
  });

  it('refuses a malformed code without calling the server', async () => {
    const { el, root, stub } = await toSecondStep(() => json(200, { agent }));
    submitCode(root, '12345');
    await el.updateComplete;
    expect(stub.calls).to.have.length(1);
    expect(root.querySelector('[role="alert"] [part="error"]')!.textContent).to.contain('6-digit code');
  });

  it('shows a clear error for a wrong code and clears the field', async () => {
    const { el, root } = await toSecondStep(() => json(401, { error: { code: 'invalid_credentials', message: 'no' } }));
    submitCode(root, '000000');
    await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
    await el.updateComplete;
    expect(root.querySelector('[role="alert"] [part="error"]')!.textContent).to.contain('not correct or has expired');
    expect(root.querySelector<HTMLInputElement>('input[name="code"]')!.value).to.equal('');
    expect(root.querySelector('input[name="code"]')!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('says when to try again after 429', async () => {
    const { root } = await toSecondStep(() =>
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow', retryAfterSeconds: 42 } }), { status: 429, headers: { 'retry-after': '42' } }),
    );
    submitCode(root, '000000');
    await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
    expect(root.querySelector('[part="error"]')!.textContent).to.contain('try again in 42 s');
  });

  it('uses the Retry-After header on the password step too', async () => {
    const stub = stubFetch(() => new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow' } }), { status: 429, headers: { 'retry-after': '7' } }));
    const el = await fixture<DireturnLogin>(html`<direturn-login .api=${new ApiClient({ fetch: stub.fetch })}></direturn-login>`);
    const root = el.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[name="email"]')!.value = 'anna@example.org';
    root.querySelector<HTMLInputElement>('input[name="password"]')!.value = 'x';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
    expect(root.querySelector('[part="error"]')!.textContent).to.contain('try again in 7 s');
  });

  it('starts over from the second step', async () => {
    const { el, root } = await toSecondStep(() => json(200, { agent }));
    root.querySelector<HTMLButtonElement>('[part="back"]')!.click();
    await el.updateComplete;
    await waitUntil(() => root.activeElement === root.querySelector('input[name="email"]'), 'email not focused');
  });

  for (const lang of ['de', 'ar', 'ru'] as const) {
    it(`is accessible in ${lang}, also with an error`, async () => {
      await initI18n(lang);
      const { el, root } = await toSecondStep(() => json(401, { error: { code: 'invalid_credentials', message: 'no' } }));
      await expect(el).to.be.accessible();
      submitCode(root, '000000');
      await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
