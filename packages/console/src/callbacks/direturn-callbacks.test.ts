import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CallbackDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, conversation, json, message, stubFetch } from '../test/helpers.js';
import '../conversation/direturn-conversation-view.js';
import type { DireturnConversationView } from '../conversation/direturn-conversation-view.js';
import './direturn-callbacks.js';
import type { DireturnCallbacks } from './direturn-callbacks.js';
import { publishCallback } from './callback-updates.js';

const HOUR = 3_600_000;
const soon = Date.now() + 2 * HOUR;
const callback = (overrides: Partial<CallbackDto> = {}): CallbackDto => ({
  id: 'cb1',
  conversationId: 'c1',
  status: 'waiting',
  outcome: null,
  attempts: 0,
  lastAttempt: null,
  language: 'ar',
  windows: [{ start: soon, end: soon + 2 * HOUR }],
  timeZone: 'Asia/Damascus',
  dueAt: soon,
  topic: 'Rückreise nach Aleppo',
  agentId: null,
  agentName: null,
  createdAt: Date.now() - HOUR,
  claimedAt: null,
  closedAt: null,
  callsFrom: null,
  phone: null,
  phoneDisplay: null,
  note: null,
  ...overrides,
});

function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

async function mount(handler: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch(handler);
  const el = await fixture<DireturnCallbacks>(html`<direturn-callbacks .api=${new ApiClient({ fetch: stub.fetch })} .me=${agent}></direturn-callbacks>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('tbody tr'), 'no rows');
  return { el, root, stub };
}

const rowTexts = (root: ShadowRoot) => [...root.querySelectorAll('tbody tr')].map((r) => r.textContent!.replace(/\s+/g, ' ').trim());

describe('<direturn-callbacks>', () => {
  before(() => initI18n('en'));

  it('lists what waits by due window, in the counsellor’s time and the visitor’s, with language and topic, never a number', async () => {
    const later = callback({ id: 'cb2', language: 'ti', topic: null, windows: [{ start: soon + 24 * HOUR, end: soon + 26 * HOUR }], dueAt: soon + 24 * HOUR, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const { root } = await mount((method, url) => (method === 'GET' && url === '/api/callbacks?filter=open' ? json(200, { callbacks: [callback(), later] }) : undefined));
    expect(root.querySelector('[part="counts"]')!.textContent).to.equal('Waiting: 2 · Yours: 0');
    const rows = rowTexts(root);
    expect(rows[0]).to.contain('العربية');
    expect(rows[0]).to.contain('Rückreise nach Aleppo');
    // The visitor is in another zone: their time beside the counsellor's.
    const mine = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).formatRange(soon, soon + 2 * HOUR);
    const theirs = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Damascus' }).formatRange(soon, soon + 2 * HOUR);
    expect(rows[0]).to.contain(mine);
    expect(rows[0]).to.contain(`Visitor's time: ${theirs} (Asia/Damascus)`);
    expect(rows[1]).to.contain('Tigrinya');
    expect(rows[1]).to.not.contain("Visitor's time");
    expect(root.querySelector('a[href^="tel:"]')).to.equal(null);
    await expect(root.host).to.be.accessible();
  });

  it('claim: the number only now, as a tel: link; the outcome with a note finishes it', async () => {
    const claimed = callback({ status: 'claimed', agentId: agent.id, agentName: agent.name, phone: '+491705550199', phoneDisplay: '+49 170 5550199', claimedAt: Date.now() });
    const { root, stub } = await mount((method, url, body) => {
      if (method === 'GET' && url === '/api/callbacks?filter=open') return json(200, { callbacks: [callback()] });
      if (method === 'POST' && url === '/api/callbacks/cb1/claim') return json(200, { callback: claimed });
      if (method === 'POST' && url === '/api/callbacks/cb1/outcome') return json(200, { callback: callback({ status: 'closed', outcome: (body as { outcome: 'done' }).outcome, agentId: agent.id, closedAt: Date.now(), note: 'Termin vereinbart', topic: null }) });
      return undefined;
    });
    root.querySelector<HTMLButtonElement>('[part="claim"]')!.click();
    await waitUntil(() => root.querySelector('a[href^="tel:"]'), 'no number');
    const link = root.querySelector<HTMLAnchorElement>('a[href^="tel:"]')!;
    expect(link.getAttribute('href')).to.equal('tel:+491705550199');
    expect(link.textContent).to.equal('+49 170 5550199');
    expect(link.getAttribute('dir')).to.equal('ltr');
    await waitUntil(() => deepActive() === link, 'focus not on the number');
    expect(root.querySelector('[part="counts"]')!.textContent).to.equal('Waiting: 0 · Yours: 1');
    await expect(root.host).to.be.accessible();

    // No outcome chosen: told, nothing sent.
    const form = root.querySelector<HTMLFormElement>('form[part="outcome"]')!;
    form.requestSubmit();
    await waitUntil(() => root.querySelector('.error'), 'no error');
    expect(stub.calls.filter((c) => c.url.endsWith('/outcome'))).to.have.length(0);

    form.querySelector<HTMLInputElement>('input[value="reached"]')!.click();
    form.querySelector<HTMLTextAreaElement>('textarea[name="note"]')!.value = 'Termin vereinbart';
    form.requestSubmit();
    await waitUntil(() => stub.calls.some((c) => c.url.endsWith('/outcome')), 'outcome not sent');
    expect(stub.calls.find((c) => c.url.endsWith('/outcome'))!.body).to.deep.equal({ outcome: 'reached', note: 'Termin vereinbart' });
    await waitUntil(() => root.querySelector('.info')?.textContent === 'Saved. The number has been deleted.', 'not saved');
    expect(root.querySelector('a[href^="tel:"]')).to.equal(null);
    expect(root.querySelector('[part="counts"]')!.textContent).to.equal('Waiting: 0 · Yours: 0');
  });

  it('a colleague was first: says so and shows the list as it is now', async () => {
    let lists = 0;
    const { root } = await mount((method, url) => {
      if (method === 'GET' && url === '/api/callbacks?filter=open') {
        lists++;
        return json(200, { callbacks: [lists === 1 ? callback() : callback({ status: 'claimed', agentId: 'a2', agentName: 'Bilal' })] });
      }
      if (method === 'POST' && url === '/api/callbacks/cb1/claim') return json(409, { error: { code: 'callback_taken', message: 'Another counsellor has already taken this callback.' } });
      return undefined;
    });
    root.querySelector<HTMLButtonElement>('[part="claim"]')!.click();
    await waitUntil(() => root.querySelector('[role="alert"] .error'), 'no notice');
    expect(root.querySelector('[role="alert"]')!.textContent).to.contain('A colleague has already claimed this callback.');
    await waitUntil(() => rowTexts(root)[0]!.includes('Claimed by Bilal'), 'list not reloaded');
    expect(root.querySelector('[part="claim"]')).to.equal(null);
    expect(root.querySelector('a[href^="tel:"]')).to.equal(null);
  });

  it('follows the socket: new requests and colleagues’ claims appear, the counts follow', async () => {
    const { root } = await mount((method, url) => (method === 'GET' && url === '/api/callbacks?filter=open' ? json(200, { callbacks: [callback()] }) : undefined));
    publishCallback(callback({ id: 'cb3', language: 'fa', dueAt: soon - HOUR, windows: [{ start: soon - HOUR, end: soon }] }));
    await waitUntil(() => root.querySelector('[part="counts"]')!.textContent === 'Waiting: 2 · Yours: 0', 'not added');
    expect(rowTexts(root)[0]).to.contain('فارسی');
    publishCallback(callback({ status: 'claimed', agentId: 'a2', agentName: 'Bilal' }));
    await waitUntil(() => root.querySelector('[part="counts"]')!.textContent === 'Waiting: 1 · Yours: 0', 'claim not followed');
    publishCallback(callback({ id: 'cb3', status: 'closed', outcome: 'wrong_number', closedAt: Date.now() }));
    await waitUntil(() => rowTexts(root).length === 1, 'closed one not removed');
  });

  it('in Arabic, and the conversation names callback events', async () => {
    await initI18n('ar');
    try {
      const { root } = await mount((method, url) => (method === 'GET' && url === '/api/callbacks?filter=open' ? json(200, { callbacks: [callback()] }) : undefined));
      expect(root.querySelector('h1')!.textContent).to.equal('طلبات معاودة الاتصال');
      await expect(root.host).to.be.accessible();
      const view = await fixture<DireturnConversationView>(html`<direturn-conversation-view
        .conversation=${conversation({ status: 'active', agentId: agent.id, agentName: agent.name })}
        .messages=${[message({ id: 'm2', seq: 2, author: 'system', body: 'callback_requested' }), message({ id: 'm3', seq: 3, author: 'system', body: 'callback_wrong_number' })]}
      ></direturn-conversation-view>`);
      const lines = [...view.shadowRoot!.querySelectorAll('li.system')].map((l) => l.textContent!);
      expect(lines[0]).to.contain('طلب الزائر معاودة الاتصال.');
      expect(lines[1]).to.contain('انتهت معاودة الاتصال: رقم خاطئ.');
    } finally {
      await initI18n('en');
    }
  });
});
