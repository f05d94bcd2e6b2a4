import { expect, waitUntil } from '@open-wc/testing';
import { initI18n } from '../i18n/i18n.js';
import { agent, deep, json, mountConsole } from '../test/helpers.js';
import '../app/direturn-console.js';

describe('console after an admin reset the password', () => {
  before(() => initI18n('en'));

  it('asks for a new password before anything else (no socket, no lists), then opens the workspace', async () => {
    const { root, stub, WS } = await mountConsole((method, url) => {
      if (url === '/api/me') return json(200, { agent: { ...agent, passwordChangeRequired: true } });
      if (method === 'POST' && url === '/api/me/password') return json(200, { agent, otherSessionsEnded: 0 });
      if (url.startsWith('/api/conversations')) return json(200, { conversations: [] });
      return undefined;
    });
    await waitUntil(() => deep(root, 'direturn-password-form', 'h1'), 'no password form');
    expect(deep(root, 'direturn-password-form', 'h1')!.textContent).to.equal('Choose a new password');
    expect(WS.instances).to.have.length(0);
    // Someone at a shared computer can still leave.
    expect([...root.querySelectorAll('button')].some((b) => b.textContent!.trim() === 'Sign out')).to.equal(true);
    expect(stub.calls.some((c) => c.url.startsWith('/api/conversations'))).to.equal(false);

    const form = root.querySelector('direturn-password-form')!.shadowRoot!;
    (form.querySelector('input[name=current]') as HTMLInputElement).value = 'k7pd-x2mq-ttr9-4hwe';
    (form.querySelector('input[name=new]') as HTMLInputElement).value = 'drei Katzen im Treppenhaus';
    form.querySelector('form')!.requestSubmit();
    await waitUntil(() => WS.instances.length === 1, 'workspace not entered');
    expect(root.querySelector('direturn-password-form')).to.equal(null);
  });
});
