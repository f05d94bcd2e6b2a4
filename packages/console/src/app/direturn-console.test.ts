import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, conversation, deep, json, message, mountConsole, stubFetch } from '../test/helpers.js';
import './direturn-console.js';
import type { DireturnConsole } from './direturn-console.js';

const waiting = conversation({ id: 'c1' });
const claimed = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now() });

async function render(claimResponse: () => Response) {
  const { el, root, stub, WS } = await mountConsole((method, url) => {
    if (url === '/api/me') return json(200, { agent });
    if (url === '/api/conversations?status=waiting') return json(200, { conversations: [waiting] });
    if (url === '/api/conversations?status=mine') return json(200, { conversations: [] });
    if (method === 'POST' && url === '/api/conversations/c1/claim') return claimResponse();
    if (url === '/api/conversations/c1') return json(200, { conversation: claimed, messages: [message({ id: 'm1', seq: 1, body: 'Hallo' })] });
    return undefined;
  });
  await waitUntil(() => deep(root, 'direturn-queue', 'button[part="claim"]'), 'queue not rendered');
  return { el, root, stub, WS };
}

describe('<direturn-console>', () => {
  before(() => initI18n('en'));

  it('shows the taken notice and removes the item on 409 conversation_taken', async () => {
    const { root } = await render(() => json(409, { error: { code: 'conversation_taken', message: 'taken' } }));
    (deep(root, 'direturn-queue', 'button[part="claim"]') as HTMLButtonElement).click();
    await waitUntil(() => root.querySelector('[part="notice"]')?.textContent?.includes('Another counsellor has already taken this conversation'), 'no notice');
    await waitUntil(() => deep(root, 'direturn-queue', 'li') === null, 'item still queued');
    expect(deep(root, 'direturn-queue', '[part="empty"]')).to.exist;
  });

  it('opens a claimed conversation, focuses the composer and marks it read', async () => {
    const { root, WS } = await render(() => json(200, { conversation: claimed }));
    const ws = WS.instances[0]!;
    ws.serverOpen();
    ws.serverSend({ type: 'ready', agent });
    (deep(root, 'direturn-queue', 'button[part="claim"]') as HTMLButtonElement).click();
    await waitUntil(() => deep(root, 'direturn-conversation-view', 'textarea'), 'conversation not opened');
    const view = root.querySelector('direturn-conversation-view')!;
    await waitUntil(() => view.shadowRoot!.activeElement?.tagName === 'TEXTAREA', 'composer not focused');
    expect(deep(root, 'direturn-queue', 'li')).to.equal(null);
    expect(deep(root, 'direturn-my-conversations', 'button[part="item"]')?.textContent).to.contain('Beratung Nord');
    await waitUntil(() => ws.frames().some((f) => f.type === 'read'), 'no read frame');
    expect(ws.frames().find((f) => f.type === 'read')).to.deep.equal({ type: 'read', conversationId: 'c1', seq: 1 });
  });

  it('moves conversations between lists on conversation frames and appends new messages', async () => {
    const { root, WS, el } = await render(() => json(200, { conversation: claimed }));
    const ws = WS.instances[0]!;
    ws.serverOpen();
    ws.serverSend({ type: 'ready', agent });
    // Another counsellor takes c1: it leaves the queue and does not enter "mine".
    ws.serverSend({ type: 'conversation', conversation: { ...claimed, agentId: 'a2', agentName: 'Ben' } });
    await el.updateComplete;
    await waitUntil(() => deep(root, 'direturn-queue', 'li') === null, 'still queued');
    expect(deep(root, 'direturn-my-conversations', 'li')).to.equal(null);
    // A conversation claimed by me appears in "mine"; a visitor message is announced.
    ws.serverSend({ type: 'conversation', conversation: { ...claimed, id: 'c9', siteName: 'Süd' } });
    await el.updateComplete;
    ws.serverSend({ type: 'message', message: message({ id: 'x1', conversationId: 'c9', seq: 2, body: 'Neue Frage' }) });
    await waitUntil(() => root.querySelector('[aria-live="polite"][aria-atomic="true"]')?.textContent?.includes('Neue Frage'), 'not announced');
    await waitUntil(() => deep(root, 'direturn-my-conversations', '[part="unread"]'), 'no unread badge');
    expect(deep(root, 'direturn-my-conversations', '[part="unread"]')!.textContent).to.contain('2 unread messages');
  });

  it('is accessible with a conversation open', async () => {
    const { el, root, WS } = await render(() => json(200, { conversation: claimed }));
    WS.instances[0]!.serverOpen();
    WS.instances[0]!.serverSend({ type: 'ready', agent });
    (deep(root, 'direturn-queue', 'button[part="claim"]') as HTMLButtonElement).click();
    await waitUntil(() => deep(root, 'direturn-conversation-view', 'textarea'), 'conversation not opened');
    await expect(el).to.be.accessible();
  });

  it('shows the socket state', async () => {
    const { root, WS, el } = await render(() => json(500, {}));
    expect(root.querySelector('[part="connection"]')?.getAttribute('data-state')).to.equal('connecting');
    WS.instances[0]!.serverOpen();
    WS.instances[0]!.serverSend({ type: 'ready', agent });
    await el.updateComplete;
    expect(root.querySelector('[part="connection"]')?.getAttribute('data-state')).to.equal('online');
    expect(root.querySelector('[part="connection"]')?.textContent).to.contain('Connected');
  });

  it('shows the login form when there is no session', async () => {
    const stub = stubFetch(() => json(401, { error: { code: 'unauthorized', message: 'no session' } }));
    const el = await fixture<DireturnConsole>(html`<direturn-console .api=${new ApiClient({ fetch: stub.fetch })}></direturn-console>`);
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-login'), 'no login form');
  });
});
