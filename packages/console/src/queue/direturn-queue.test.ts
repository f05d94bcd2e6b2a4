import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { ClaimEvent } from '../events/events.js';
import { initI18n } from '../i18n/i18n.js';
import { conversation } from '../test/helpers.js';
import './direturn-queue.js';
import type { DireturnQueue } from './direturn-queue.js';

const items = [
  conversation({ id: 'c1', createdAt: Date.now() - 12 * 60_000 }),
  conversation({
    id: 'c2',
    siteName: 'Rückkehrhilfe Süd',
    language: 'fa',
    pageUrl: 'http://sued.example.net/',
    firstMessage: '<b>not bold</b>',
    createdAt: Date.now() - 30_000,
  }),
];

describe('<direturn-queue>', () => {
  before(() => initI18n('en'));

  it('renders site, host+path, native language name, waiting time and first message', async () => {
    const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${items}></direturn-queue>`);
    const li = el.shadowRoot!.querySelectorAll('li');
    expect(li).to.have.length(2);
    const first = li[0]!.textContent!;
    expect(first).to.contain('Beratung Nord');
    expect(first).to.contain('partner.example.org/hilfe/rueckkehr');
    expect(first).not.to.contain('secret');
    expect(first).to.contain('العربية');
    expect(first).to.contain('12 minutes ago');
    expect(first).to.contain('مرحبا، أريد العودة');
    const second = li[1]!;
    expect(second.textContent).to.contain('sued.example.net');
    expect(second.textContent).to.contain('فارسی');
    expect(second.querySelector('b')).to.equal(null);
    expect(second.querySelector('.first')!.textContent).to.equal('<b>not bold</b>');
    expect(second.querySelector('.first')!.getAttribute('dir')).to.equal('auto');
  });

  it('shows an empty state', async () => {
    const el = await fixture<DireturnQueue>(html`<direturn-queue></direturn-queue>`);
    expect(el.shadowRoot!.querySelector('[part="empty"]')?.textContent).to.contain('Nobody is waiting');
  });

  it('fires direturn-claim with the conversation id', async () => {
    const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${items}></direturn-queue>`);
    const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="claim"]');
    setTimeout(() => buttons[1]!.click());
    const event = (await oneEvent(el, ClaimEvent.eventName)) as ClaimEvent;
    expect(event).to.be.instanceOf(ClaimEvent);
    expect(event.conversationId).to.equal('c2');
    expect(event.composed).to.equal(true);
  });

  it('disables the button of a claim under way', async () => {
    const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${items} .claiming=${new Set(['c1'])}></direturn-queue>`);
    const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="claim"]');
    expect(buttons[0]!.disabled).to.equal(true);
    expect(buttons[1]!.disabled).to.equal(false);
  });

  it('is accessible with items', async () => {
    const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${items}></direturn-queue>`);
    await expect(el).to.be.accessible();
  });

  it("lists conversations in the agent's languages first, oldest first within each group", async () => {
    const queue = [
      conversation({ id: 'q1', language: 'ar', createdAt: Date.now() - 40 * 60_000 }),
      conversation({ id: 'q2', language: 'ru', createdAt: Date.now() - 30 * 60_000 }),
      conversation({ id: 'q3', language: 'fa', createdAt: Date.now() - 20 * 60_000 }),
      conversation({ id: 'q4', language: 'ru', createdAt: Date.now() - 10 * 60_000 }),
    ];
    const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${queue} .agentLanguages=${['ru', 'fa']}></direturn-queue>`);
    const ids = () => [...el.shadowRoot!.querySelectorAll('li')].map((li) => li.querySelector('.site')!.id.slice(2));
    expect(ids()).to.deep.equal(['q2', 'q3', 'q4', 'q1']);
    expect(el.shadowRoot!.querySelector('li')!.textContent).to.contain('In one of your languages');
    expect([...el.shadowRoot!.querySelectorAll('li')].at(-1)!.textContent).not.to.contain('In one of your languages');

    // filter by language: the menu offers the waiting languages in their own names, with counts
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select[part=filter]')!;
    expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'ar', 'ru', 'fa']);
    expect(select.options[2]!.textContent!.trim()).to.equal('Русский (2)');
    expect(select.options[2]!.lang).to.equal('ru');
    select.value = 'ru';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(ids()).to.deep.equal(['q2', 'q4']);

    // nobody left in that language: say so, and keep the filter so it can be reset
    el.conversations = queue.filter((c) => c.language !== 'ru');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=empty]')!.textContent).to.equal('Nobody is waiting in this language.');
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('select[part=filter]')!.value).to.equal('ru');
    await expect(el).to.be.accessible();
  });

  it('shows the counts in the digits of the interface language (Persian)', async () => {
    await initI18n('fa');
    try {
      const queue = [conversation({ id: 'q1' }), conversation({ id: 'q2', language: 'ru' }), conversation({ id: 'q3', language: 'ru' })];
      const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${queue}></direturn-queue>`);
      const root = el.shadowRoot!;
      expect(root.querySelector('.count')!.textContent!.trim()).to.equal('۳');
      expect(root.querySelector('h2 .visually-hidden')!.textContent!.trim()).to.equal('۳ گفتگو در انتظار است');
      const options = [...root.querySelectorAll<HTMLOptionElement>('select[part=filter] option')].map((o) => o.textContent!.trim());
      expect(options.slice(1)).to.deep.equal(['العربية (۱)', 'Русский (۲)']);
    } finally {
      await initI18n('en');
    }
  });
});
