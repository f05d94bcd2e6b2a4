import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { OpenConversationEvent } from '../events/events.js';
import { initI18n } from '../i18n/i18n.js';
import { conversation } from '../test/helpers.js';
import './direturn-my-conversations.js';
import type { DireturnMyConversations } from './direturn-my-conversations.js';

const mine = [
  conversation({ id: 'c1', status: 'active', agentId: 'a1', unread: 12 }),
  conversation({ id: 'c2', status: 'active', agentId: 'a1', unread: 0, pageUrl: null }),
];

describe('<direturn-my-conversations>', () => {
  before(() => initI18n('en'));

  it('shows site, language, page and the unread count, and opens a conversation', async () => {
    const el = await fixture<DireturnMyConversations>(html`<direturn-my-conversations .conversations=${mine} .selectedId=${'c1'}></direturn-my-conversations>`);
    const items = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="item"]');
    expect(items[0]!.getAttribute('aria-current')).to.equal('true');
    expect(items[0]!.querySelector('.meta')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('العربية · partner.example.org/hilfe/rueckkehr');
    expect(items[0]!.querySelector('[part="unread"]')!.textContent).to.contain('12 unread messages');
    expect(items[1]!.querySelector('[part="unread"]')).to.equal(null);
    expect(items[1]!.textContent).to.contain('unknown page');
    setTimeout(() => items[1]!.click());
    const event = (await oneEvent(el, OpenConversationEvent.eventName)) as OpenConversationEvent;
    expect(event.conversationId).to.equal('c2');
    await expect(el).to.be.accessible();
  });

  it('tells conversations apart by pseudonym and shows the latest message, each text in its own direction', async () => {
    const list = [conversation({ id: 'c3', status: 'active', agentId: 'a1', pseudonym: 'Mika 27', lastMessage: 'شكراً جزيلاً', lastMessageAuthor: 'visitor' })];
    const el = await fixture<DireturnMyConversations>(html`<direturn-my-conversations .conversations=${list}></direturn-my-conversations>`);
    const item = el.shadowRoot!.querySelector('button[part="item"]')!;
    expect(item.querySelector('.site')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Mika 27 · Demo partner page'.replace('Demo partner page', list[0]!.siteName));
    const last = item.querySelector('[part="last-message"]')!;
    expect(last.textContent).to.equal('شكراً جزيلاً');
    expect(last.getAttribute('dir')).to.equal('auto');
  });

  it('shows the unread count in Persian digits in fa', async () => {
    await initI18n('fa');
    try {
      const el = await fixture<DireturnMyConversations>(html`<direturn-my-conversations .conversations=${mine}></direturn-my-conversations>`);
      const badge = el.shadowRoot!.querySelector('[part="unread"]')!;
      expect(badge.querySelector('[aria-hidden="true"]')!.textContent).to.equal('۱۲');
      expect(badge.querySelector('.visually-hidden')!.textContent).to.equal('۱۲ پیام خوانده‌نشده');
      await expect(el).to.be.accessible();
    } finally {
      await initI18n('en');
    }
  });
});
