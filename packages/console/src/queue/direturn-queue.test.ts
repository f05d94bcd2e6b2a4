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
});
