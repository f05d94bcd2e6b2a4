import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { CloseConversationEvent, SendEvent } from '../events/events.js';
import { initI18n } from '../i18n/i18n.js';
import { conversation, message } from '../test/helpers.js';
import './direturn-conversation-view.js';
import type { DireturnConversationView, OutgoingMessage } from './direturn-conversation-view.js';

const XSS = '<img src=x onerror=alert(1)>';
const active = conversation({ status: 'active', agentId: 'a1', agentName: 'Anna', lastSeq: 4, visitorReadSeq: 3 });
const messages = [
  message({ id: 'm1', seq: 1, body: XSS }),
  message({ id: 'm2', seq: 2, author: 'system', body: 'claimed', agentName: 'Anna' }),
  message({ id: 'm3', seq: 3, author: 'agent', body: 'Hello, I am Anna.', clientId: 'client-0001', agentName: 'Anna' }),
  message({ id: 'm4', seq: 4, author: 'agent', body: 'How can I help?', clientId: 'client-0002', agentName: 'Anna' }),
];
const outgoing: OutgoingMessage[] = [{ clientId: 'client-0003', body: 'One moment', createdAt: Date.now(), state: 'sending' }];

function render(overrides: { conversation?: typeof active; typing?: boolean } = {}) {
  return fixture<DireturnConversationView>(html`<direturn-conversation-view
    .conversation=${overrides.conversation ?? active}
    .messages=${messages}
    .outgoing=${outgoing}
    ?visitor-typing=${overrides.typing ?? false}
  ></direturn-conversation-view>`);
}

function type(el: DireturnConversationView, text: string) {
  const textarea = el.shadowRoot!.querySelector('textarea')!;
  textarea.value = text;
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  return textarea;
}

describe('<direturn-conversation-view>', () => {
  before(() => initI18n('en'));

  it('renders a markup-looking body as literal text', async () => {
    const el = await render();
    const root = el.shadowRoot!;
    expect(root.querySelector('img')).to.equal(null);
    const body = root.querySelector('li.visitor .body')!;
    expect(body.textContent).to.equal(XSS);
    expect(body.getAttribute('dir')).to.equal('auto');
    expect(body.children).to.have.length(0);
  });

  it('shows the header with site, native language name and host+path', async () => {
    const el = await render();
    const header = el.shadowRoot!.querySelector('header')!.textContent!;
    expect(header).to.contain('Beratung Nord');
    expect(header).to.contain('العربية');
    expect(header).to.contain('partner.example.org/hilfe/rueckkehr');
    expect(header).not.to.contain('secret');
  });

  it('translates system messages and shows own message states', async () => {
    const el = await render();
    const root = el.shadowRoot!;
    expect(root.querySelector('li.system')!.textContent).to.contain('Anna joined the conversation.');
    const agentItems = [...root.querySelectorAll<HTMLElement>('li.agent')];
    expect(agentItems.map((li) => li.dataset['state'])).to.deep.equal(['read', 'sent', 'sending']);
    expect(agentItems.map((li) => li.querySelector('.state')!.textContent)).to.deep.equal(['Read by the visitor', 'Sent', 'Sending…']);
  });

  it('shows the visitor typing indicator', async () => {
    const el = await render({ typing: true });
    expect(el.shadowRoot!.querySelector('[part="typing"]')!.textContent).to.contain('The visitor is typing');
  });

  it('sends on Enter, keeps Shift+Enter for a new line', async () => {
    const el = await render();
    const textarea = type(el, '  Hello there  ');
    await el.updateComplete;
    const shift = new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true });
    textarea.dispatchEvent(shift);
    expect(shift.defaultPrevented).to.equal(false);
    setTimeout(() => textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
    const event = (await oneEvent(el, SendEvent.eventName)) as SendEvent;
    expect(event.conversationId).to.equal('c1');
    expect(event.body).to.equal('Hello there');
    await el.updateComplete;
    expect(textarea.value).to.equal('');
  });

  it('does not send an empty reply', async () => {
    const el = await render();
    const textarea = type(el, '   ');
    let sent = false;
    el.addEventListener(SendEvent.eventName, () => (sent = true));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(sent).to.equal(false);
  });

  it('closes after confirmation', async () => {
    const el = await render();
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[part="close"]')!.click();
    await el.updateComplete;
    const yes = el.shadowRoot!.querySelector<HTMLButtonElement>('.confirm button.danger')!;
    setTimeout(() => yes.click());
    const event = (await oneEvent(el, CloseConversationEvent.eventName)) as CloseConversationEvent;
    expect(event.conversationId).to.equal('c1');
  });

  it('has no composer once closed', async () => {
    const el = await render({ conversation: { ...active, status: 'closed' } });
    expect(el.shadowRoot!.querySelector('textarea')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('This conversation is closed.');
  });

  it('focuses the labelled composer', async () => {
    const el = await render();
    await el.focusComposer();
    const textarea = el.shadowRoot!.activeElement as HTMLTextAreaElement;
    expect(textarea?.tagName).to.equal('TEXTAREA');
    expect(el.shadowRoot!.querySelector(`label[for="${textarea.id}"]`)!.textContent).to.equal('Your reply');
  });

  it('is accessible', async () => {
    const el = await render({ typing: true });
    await expect(el).to.be.accessible();
  });

  it('is accessible without a conversation', async () => {
    const el = await fixture<DireturnConversationView>(html`<direturn-conversation-view></direturn-conversation-view>`);
    await expect(el).to.be.accessible();
  });

  it('tells when a closed conversation will be deleted, and offers export but not delete to counsellors', async () => {
    const deleteAt = Date.UTC(2031, 0, 15, 12);
    const el = await render({ conversation: { ...active, status: 'closed', closedAt: Date.now(), deleteAt } });
    const text = el.shadowRoot!.querySelector('[part="delete-at"]')!.textContent!;
    expect(text).to.contain(new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(deleteAt));
    expect(text).to.contain('will be deleted on');
    expect(el.shadowRoot!.querySelector('[part="export"]')).to.exist;
    expect(el.shadowRoot!.querySelector('[part="delete"]')).to.equal(null);
  });
});
