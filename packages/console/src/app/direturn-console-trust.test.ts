import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { AgentDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { AgentSocket } from '../realtime/agent-socket.js';
import { adminAgent, agent, conversation, deep, fakeWebSocketClass, json, message, stubFetch } from '../test/helpers.js';
import './direturn-console.js';
import type { DireturnConsole } from './direturn-console.js';

const mine = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now() });

async function render(me: AgentDto = agent, extra: (method: string, url: string, body: unknown) => Response | undefined = () => undefined) {
  const current = me;
  const stub = stubFetch((method, url, body) => {
    const handled = extra(method, url, body);
    if (handled) return handled;
    if (url === '/api/me' && method === 'GET') return json(200, { agent: current });
    if (url === '/api/conversations?status=waiting') return json(200, { conversations: [conversation({ id: 'c2' })] });
    if (url === '/api/conversations?status=mine') return json(200, { conversations: [{ ...mine, agentId: me.id }] });
    if (url === '/api/conversations/c1') return json(200, { conversation: { ...mine, agentId: me.id }, messages: [message()] });
    return undefined;
  });
  const WS = fakeWebSocketClass();
  const el = await fixture<DireturnConsole>(html`<direturn-console
    .api=${new ApiClient({ fetch: stub.fetch })}
    .createSocket=${() => new AgentSocket({ url: 'ws://test/ws/agent', WebSocket: WS, baseDelayMs: 10 })}
  ></direturn-console>`);
  const root = el.shadowRoot!;
  await waitUntil(() => deep(root, 'direturn-my-conversations', 'li'), 'lists not rendered');
  WS.instances[0]!.serverOpen();
  WS.instances[0]!.serverSend({ type: 'ready', agent: me });
  return { el, root, stub, WS };
}

describe('<direturn-console> trust', () => {
  before(() => initI18n('en'));

  it('drops a deleted conversation from the lists and the view, with a notice', async () => {
    const { root, WS } = await render();
    (deep(root, 'direturn-my-conversations', 'button[part="item"]') as HTMLButtonElement).click();
    await waitUntil(() => deep(root, 'direturn-conversation-view', 'textarea'), 'not opened');
    WS.instances[0]!.serverSend({ type: 'conversation-deleted', conversationId: 'c1' });
    await waitUntil(() => deep(root, 'direturn-my-conversations', 'li') === null, 'still listed');
    await waitUntil(() => deep(root, 'direturn-conversation-view', 'textarea') === null, 'still open');
    expect(root.querySelector('[part="notice"]')!.textContent).to.contain('A conversation was deleted');
    WS.instances[0]!.serverSend({ type: 'conversation-deleted', conversationId: 'c2' });
    await waitUntil(() => deep(root, 'direturn-queue', 'li') === null, 'still queued');
  });

  it('goes back to the login with a message when the socket closes with 4401', async () => {
    const { root, WS } = await render();
    WS.instances[0]!.serverClose(4401);
    await waitUntil(() => root.querySelector('direturn-login'), 'no login');
    expect(root.querySelector('[part="notice"]')!.textContent).to.contain('Your session was ended');
    await new Promise((r) => setTimeout(r, 50));
    expect(WS.instances).to.have.length(1);
  });

  it('shows enrolment, not the workspace, when 2FA setup is required', async () => {
    const stub = stubFetch((_m, url) => (url === '/api/me' ? json(200, { agent: { ...agent, totpSetupRequired: true } }) : json(403, { error: { code: 'totp_setup_required', message: 'x' } })));
    const el = await fixture<DireturnConsole>(html`<direturn-console .api=${new ApiClient({ fetch: stub.fetch })}></direturn-console>`);
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-totp-setup'), 'no enrolment');
    expect(el.shadowRoot!.querySelector('direturn-queue')).to.equal(null);
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.contain('Set up two-factor authentication');
  });

  it('offers admin screens to admins only', async () => {
    const counsellor = await render();
    const screens = (root: ShadowRoot) => [...root.querySelectorAll('nav button')].map((b) => b.getAttribute('data-screen'));
    expect(screens(counsellor.root)).to.deep.equal(['conversations', 'search', 'referrals', 'replies', 'profile']);
    const admin = await render(adminAgent, (m, url) => (m === 'GET' && url === '/api/settings' ? json(200, { settings: { retentionDays: 90, requireTotp: false } }) : undefined));
    expect(screens(admin.root)).to.deep.equal(['conversations', 'search', 'referrals', 'replies', 'knowledge', 'orientation', 'profile', 'supervision', 'agents', 'sites', 'channels', 'offices', 'settings', 'privacy', 'audit']);
    admin.root.querySelector<HTMLButtonElement>('nav button[data-screen="settings"]')!.click();
    await waitUntil(() => deep(admin.root, 'direturn-admin-settings', 'form'), 'no settings');
    expect(admin.root.querySelector('nav button[data-screen="settings"]')!.getAttribute('aria-current')).to.equal('page');
  });

  it('gives an editor the knowledge base only: no conversation lists, no socket', async () => {
    const editor: AgentDto = { ...agent, id: 'e1', name: 'Edda', role: 'editor' };
    const stub = stubFetch((method, url) => {
      if (url === '/api/me') return json(200, { agent: editor });
      if (url === '/api/knowledge/articles') return json(200, { articles: [] });
      if (url === '/api/knowledge/misses') return json(200, { misses: [{ language: 'ar', query: 'جواز', count: 3, lastAt: 1 }] });
      return undefined;
    });
    const WS = fakeWebSocketClass();
    const el = await fixture<DireturnConsole>(html`<direturn-console
      .api=${new ApiClient({ fetch: stub.fetch })}
      .createSocket=${() => new AgentSocket({ url: 'ws://test/ws/agent', WebSocket: WS, baseDelayMs: 10 })}
    ></direturn-console>`);
    const root = el.shadowRoot!;
    await waitUntil(() => deep(root, 'direturn-knowledge', 'table'), 'no knowledge screen');
    expect([...root.querySelectorAll('nav button')].map((b) => b.getAttribute('data-screen'))).to.deep.equal(['knowledge', 'orientation', 'profile']);
    expect(root.querySelector('direturn-queue')).to.equal(null);
    expect(WS.instances).to.have.length(0);
    expect(stub.calls.some((c) => c.url.startsWith('/api/conversations'))).to.equal(false);
    expect(deep(root, 'direturn-knowledge', 'td[lang="ar"]')!.textContent).to.equal('جواز');
  });

  it('lets an agent change their languages in the profile', async () => {
    const { root, stub } = await render(agent, (m, url, body) => (m === 'PATCH' && url === '/api/me' ? json(200, { agent: { ...agent, ...(body as object) } }) : undefined));
    root.querySelector<HTMLButtonElement>('nav button[data-screen="profile"]')!.click();
    await waitUntil(() => deep(root, 'direturn-profile', 'form[part="languages"]'), 'no profile');
    const form = deep(root, 'direturn-profile', 'form[part="languages"]') as HTMLFormElement;
    form.querySelector<HTMLInputElement>('input[value="en"]')!.checked = false;
    form.querySelector<HTMLInputElement>('input[value="fa"]')!.checked = true;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => stub.calls.some((c) => c.method === 'PATCH'), 'not saved');
    expect(stub.calls.find((c) => c.method === 'PATCH')!.body).to.deep.equal({ languages: ['de', 'fa'] });
    await waitUntil(() => root.querySelector('[part="profile"]')!.textContent!.includes('فارسی'), 'top bar not updated');
  });

  it('exports a conversation as a JSON download and deletes it as admin after confirming', async () => {
    const { root, stub } = await render(adminAgent, (m, url) => {
      if (m === 'GET' && url === '/api/conversations/c1/export') return json(200, { conversation: mine, messages: [message()] });
      if (m === 'DELETE' && url === '/api/conversations/c1') return json(204, null);
      return undefined;
    });
    (deep(root, 'direturn-my-conversations', 'button[part="item"]') as HTMLButtonElement).click();
    await waitUntil(() => deep(root, 'direturn-conversation-view', '[part="export"]'), 'not opened');
    const downloads: string[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    };
    try {
      (deep(root, 'direturn-conversation-view', '[part="export"]') as HTMLButtonElement).click();
      await waitUntil(() => downloads.length === 1, 'no download');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(downloads[0]).to.match(/^direturn-conversation-\d{4}-\d{2}-\d{2}-c1\.json$/);
    (deep(root, 'direturn-conversation-view', '[part="delete"]') as HTMLButtonElement).click();
    const view = root.querySelector('direturn-conversation-view')!;
    await waitUntil(() => view.shadowRoot!.querySelector('.delete-confirm'), 'no confirmation');
    expect(stub.calls.some((c) => c.method === 'DELETE')).to.equal(false);
    view.shadowRoot!.querySelector<HTMLButtonElement>('.delete-confirm button.danger')!.click();
    await waitUntil(() => stub.calls.some((c) => c.method === 'DELETE' && c.url === '/api/conversations/c1'), 'not deleted');
    await waitUntil(() => deep(root, 'direturn-my-conversations', 'li') === null, 'still listed');
  });
});
