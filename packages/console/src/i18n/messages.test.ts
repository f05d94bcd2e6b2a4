import { LIMITS } from '@direturn/protocol';
import { expect, fixture, html } from '@open-wc/testing';
import '../conversation/direturn-conversation-view.js';
import type { DireturnConversationView } from '../conversation/direturn-conversation-view.js';
import '../conversations/direturn-my-conversations.js';
import type { DireturnMyConversations } from '../conversations/direturn-my-conversations.js';
import '../queue/direturn-queue.js';
import type { DireturnQueue } from '../queue/direturn-queue.js';
import { conversation, message } from '../test/helpers.js';
import { initI18n, messageParts } from './i18n.js';

/**
 * Georgian texts with the placeholders moved and the punctuation changed, as a translator may do:
 * a UI that glues words and values together in code cannot follow them.
 */
const REORDERED: Record<string, Record<string, unknown>> = {
  common: { label: '«{{label}}»' },
  queue: { languageLabel: '[{{language}}] = ენა', pageLabel: '{{page}} ← გვერდი', filterOption: '{{count, number}} × {{language}}' },
  mine: { languageAndPage: '{{page}} / {{language}}' },
  conversation: { hintAndRemaining: '{{remaining}} | {{hint}}', system: { line: '{{time}} — {{event}}' } },
};

function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(source)) {
    target[k] = v && typeof v === 'object' ? merge((target[k] ?? {}) as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return target;
}

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const active = conversation({ status: 'active', agentId: 'a1', agentName: 'Anna', unread: 12 });

describe('messages with placeholders', () => {
  const realFetch = window.fetch;
  before(async () => {
    // serve the real ka.json with the reordered messages: i18n.ts fetches the locale files itself
    window.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/locales/ka.json')) return res;
      const data = merge((await res.json()) as Record<string, unknown>, REORDERED);
      return new Response(JSON.stringify(data), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await initI18n('ka');
  });
  after(async () => {
    window.fetch = realFetch;
    await initI18n('en');
  });

  it('splits a message at its markup slots', () => {
    expect(messageParts('queue.languageLabel', ['language'])).to.deep.equal([{ text: '[' }, { slot: 'language' }, { text: '] = ენა' }]);
    expect(messageParts('queue.filterOption', ['language'], { count: 1234 })).to.deep.equal([{ text: '1,234 × ' }, { slot: 'language' }]);
  });

  it('labels language and page of a waiting conversation in the translated order, the label for screen readers only', async () => {
    const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${[conversation()]}></direturn-queue>`);
    const name = el.shadowRoot!.querySelector('.meta span[lang="ar"]')!;
    const label = name.parentElement!;
    expect(text(label)).to.equal('[العربية] = ენა');
    const hidden = [...label.children].filter((c) => c !== name);
    expect(hidden.map((h) => h.className)).to.deep.equal(['visually-hidden', 'visually-hidden']);
    expect(text(el.shadowRoot!.querySelector('.meta.page'))).to.equal('partner.example.org/hilfe/rueckkehr ← გვერდი');
    expect(text(el.shadowRoot!.querySelector('select[part=filter] option[value="ar"]'))).to.equal('1 × العربية');
  });

  it('shows language and page of own conversations as one message', async () => {
    const el = await fixture<DireturnMyConversations>(html`<direturn-my-conversations .conversations=${[active]}></direturn-my-conversations>`);
    const meta = el.shadowRoot!.querySelector('.meta')!;
    expect(text(meta)).to.equal('partner.example.org/hilfe/rueckkehr / العربية');
    expect(meta.querySelector('span[lang="ar"]')!.textContent).to.equal('العربية');
  });

  it('places the time of a system message and the labels of the header where the translation puts them', async () => {
    const el = await fixture<DireturnConversationView>(html`<direturn-conversation-view
      .conversation=${active}
      .messages=${[message({ id: 'm2', seq: 2, author: 'system', body: 'closed' })]}
    ></direturn-conversation-view>`);
    const root = el.shadowRoot!;
    const system = root.querySelector('li.system')!;
    expect(system.firstElementChild!.tagName).to.equal('TIME');
    expect(text(system)).to.equal(`${text(system.querySelector('time'))} — საუბარი დაიხურა.`);
    expect([...root.querySelectorAll('dt')].map(text)).to.deep.equal(['«ენა»', '«გვერდი»', '«სტატუსი»']);

    const textarea = root.querySelector('textarea')!;
    textarea.value = 'x'.repeat(LIMITS.messageMaxChars - 3);
    textarea.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    const hint = text(root.querySelector('#reply-hint'));
    expect(hint).to.equal('დარჩა 3 სიმბოლო | Enter აგზავნის, Shift+Enter იწყებს ახალ ხაზს.');
  });
});
