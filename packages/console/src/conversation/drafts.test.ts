import { expect, waitUntil } from '@open-wc/testing';
import { initI18n } from '../i18n/i18n.js';
import { agent, conversation, deep, json, message, mountConsole } from '../test/helpers.js';
import { MemoryStorage } from '../test/memory-storage.js';
import '../app/direturn-console.js';
import { Drafts } from './drafts.js';

const mine = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now() });
const other = conversation({ id: 'c2', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now(), siteName: 'Zweite Seite' });

describe('Drafts', () => {
  it('keeps a draft per counsellor and conversation, forgets blank ones and all of a counsellor on logout', () => {
    const storage = new MemoryStorage();
    const drafts = new Drafts(storage);
    drafts.set('c1', 'not signed in');
    expect(storage.length).to.equal(0);
    drafts.setOwner('a1');
    drafts.set('c1', 'Guten Tag,');
    drafts.set('c2', 'Hallo');
    expect(drafts.get('c1')).to.equal('Guten Tag,');
    drafts.set('c2', '   ');
    expect(drafts.get('c2')).to.equal('');
    const colleague = new Drafts(storage);
    colleague.setOwner('a2');
    colleague.set('c1', 'Kollegin');
    expect(colleague.get('c1')).to.equal('Kollegin');
    drafts.clearAll();
    expect(drafts.get('c1')).to.equal('');
    expect(colleague.get('c1')).to.equal('Kollegin');
  });
});

describe('draft restore in the console', () => {
  before(() => initI18n('en'));

  async function open(storage: MemoryStorage) {
    const { el, root, WS } = await mountConsole((_m, url) => {
      if (url === '/api/me') return json(200, { agent });
      if (url === '/api/conversations?status=waiting') return json(200, { conversations: [] });
      if (url === '/api/conversations?status=mine') return json(200, { conversations: [mine, other] });
      if (url === '/api/conversations/c1') return json(200, { conversation: mine, messages: [message()] });
      if (url === '/api/conversations/c2') return json(200, { conversation: other, messages: [message({ id: 'm2', conversationId: 'c2' })] });
      return undefined;
    });
    el.drafts = new Drafts(storage);
    el.drafts.setOwner(agent.id);
    await waitUntil(() => deep(root, 'direturn-my-conversations', 'button[part="item"]'), 'no list');
    WS.instances[0]!.serverOpen();
    WS.instances[0]!.serverSend({ type: 'ready', agent });
    return { el, root, WS };
  }
  const items = (root: ShadowRoot) => deep(root, 'direturn-my-conversations', 'ul')!.querySelectorAll<HTMLButtonElement>('button[part="item"]');
  const textarea = (root: ShadowRoot) => deep(root, 'direturn-conversation-view', 'textarea') as HTMLTextAreaElement | null;
  function type(root: ShadowRoot, text: string) {
    const area = textarea(root)!;
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  it('brings back the unsent reply after a reload, per conversation, and clears it on send', async () => {
    const storage = new MemoryStorage();
    const first = await open(storage);
    items(first.root)[0]!.click();
    await waitUntil(() => textarea(first.root), 'not opened');
    type(first.root, 'Sie können einen Pass beantragen');
    items(first.root)[1]!.click();
    await waitUntil(() => deep(first.root, 'direturn-conversation-view', 'h2')?.textContent?.includes('Zweite Seite'), 'second not opened');
    expect(textarea(first.root)!.value).to.equal('');
    first.el.remove();

    // "reload": a new console on the same storage
    const second = await open(storage);
    items(second.root)[0]!.click();
    await waitUntil(() => textarea(second.root)?.value === 'Sie können einen Pass beantragen', 'draft not restored');
    const view = second.root.querySelector('direturn-conversation-view')!;
    view.shadowRoot!.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await waitUntil(() => second.WS.instances[0]!.frames().some((f) => f.type === 'send'), 'not sent');
    expect(storage.length).to.equal(0);
  });
});
