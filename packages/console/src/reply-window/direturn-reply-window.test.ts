import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ReplyWindowDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import '../conversation/direturn-conversation-view.js';
import type { DireturnConversationView } from '../conversation/direturn-conversation-view.js';
import './direturn-reply-window.js';
import type { DireturnReplyWindow } from './direturn-reply-window.js';
import { conversation, json, message, stubFetch } from '../test/helpers.js';

const HOUR = 3_600_000;
const whatsapp = conversation({ id: 'c-wa', channel: 'whatsapp', channelAccountName: 'WhatsApp Beratung', status: 'active', agentId: 'a1', agentName: 'Anna', language: 'de', pageUrl: null });
const lastWrote = Date.now() - 25 * HOUR;
const closedWindow: ReplyWindowDto = {
  kind: 'whatsapp',
  open: false,
  rule: 'whatsapp-24h',
  closesAt: lastWrote + 24 * HOUR,
  templates: [
    { name: 'reply_waiting', language: 'de' },
    { name: 'reply_waiting', language: 'en_US' },
  ],
};

function serve(window: ReplyWindowDto | null) {
  return stubFetch((method, url, body) => {
    if (method === 'GET' && url.endsWith('/reply-window')) return json(200, { window });
    if (method === 'POST' && url.endsWith('/template')) {
      return json(201, { message: message({ id: 'm-tpl', author: 'agent', body: `[${(body as { name: string }).name} · ${(body as { language: string }).language}]`, delivery: { status: 'queued', reason: null, updatedAt: Date.now() } }) });
    }
    return undefined;
  });
}

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('the reply window of a channel conversation', () => {
  before(() => initI18n('en'));

  it('says the WhatsApp window is closed since when, and offers the templates; Send posts the chosen one', async () => {
    const { fetch, calls } = serve(closedWindow);
    const el = await fixture<DireturnReplyWindow>(html`<direturn-reply-window .api=${new ApiClient({ fetch })} .conversation=${whatsapp} .inbound=${1} can-send></direturn-reply-window>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="notice"]'));
    const notice = el.shadowRoot!.querySelector('[part="notice"]')!;
    expect(text(notice.querySelector('h3'))).to.equal('The reply window is closed');
    expect(text(notice)).to.contain('more than 24 hours ago');
    const buttons = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="templates"] button')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Send template reply_waiting (de)', 'Send template reply_waiting (en_US)']);
    buttons[1]!.click();
    await waitUntil(() => text(el.shadowRoot!.querySelector('[role="status"]')) !== '');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).to.match(/\/api\/conversations\/c-wa\/template$/);
    expect(post.body).to.include({ name: 'reply_waiting', language: 'en_US' });
    expect((post.body as { clientId: string }).clientId).to.match(/^[A-Za-z0-9_-]{8,64}$/);
    expect(text(el.shadowRoot!.querySelector('[role="status"]'))).to.equal('The template reply_waiting was sent.');
    await expect(el).to.be.accessible();
  });

  it('offers no Send button to a counsellor who does not hold the conversation, and says why', async () => {
    const { fetch } = serve(closedWindow);
    const el = await fixture<DireturnReplyWindow>(html`<direturn-reply-window .api=${new ApiClient({ fetch })} .conversation=${whatsapp}></direturn-reply-window>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="templates"]'));
    expect(el.shadowRoot!.querySelectorAll('button')).to.have.length(0);
    expect(text(el.shadowRoot!.querySelector('[part="notice"]'))).to.contain('Take the conversation to send a template.');
  });

  it('says when no template is set up', async () => {
    const { fetch } = serve({ ...closedWindow, templates: [] });
    const el = await fixture<DireturnReplyWindow>(html`<direturn-reply-window .api=${new ApiClient({ fetch })} .conversation=${whatsapp} can-send></direturn-reply-window>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="notice"]'));
    expect(text(el.shadowRoot!.querySelector('[part="notice"]'))).to.contain('No approved template is set up');
  });

  it('on Messenger after 24 hours: open, as a counsellor\'s personal answer; after 7 days closed without templates', async () => {
    const messenger = conversation({ id: 'c-fb', channel: 'messenger', status: 'active', agentId: 'a1' });
    const wrote = Date.now() - 30 * HOUR;
    const { fetch } = serve({ kind: 'messenger', open: true, rule: 'meta-7d-human-agent', closesAt: wrote + 7 * 24 * HOUR, templates: [] });
    const el = await fixture<DireturnReplyWindow>(html`<direturn-reply-window .api=${new ApiClient({ fetch })} .conversation=${messenger}></direturn-reply-window>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="open"]'));
    expect(text(el.shadowRoot!.querySelector('[part="open"]'))).to.match(/^More than 24 hours have passed: .* Replies are possible until /);

    const gone = serve({ kind: 'messenger', open: false, rule: 'meta-7d-human-agent', closesAt: Date.now() - HOUR, templates: [] });
    const closed = await fixture<DireturnReplyWindow>(html`<direturn-reply-window .api=${new ApiClient({ fetch: gone.fetch })} .conversation=${messenger}></direturn-reply-window>`);
    await waitUntil(() => closed.shadowRoot!.querySelector('[part="notice"]'));
    expect(text(closed.shadowRoot!.querySelector('[part="notice"]'))).to.contain('more than 7 days ago');
    expect(closed.shadowRoot!.querySelector('[part="templates"]')).to.equal(null);
  });

  it('closes itself when the time comes, and tells the composer', async () => {
    const { fetch } = serve({ kind: 'whatsapp', open: true, rule: 'whatsapp-24h', closesAt: Date.now() + 300, templates: [{ name: 'reply_waiting', language: 'de' }] });
    const events: boolean[] = [];
    const el = await fixture<DireturnReplyWindow>(html`<direturn-reply-window
      .api=${new ApiClient({ fetch })}
      .conversation=${whatsapp}
      @direturn-reply-window=${(e: Event & { open: boolean }) => events.push(e.open)}
    ></direturn-reply-window>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="open"]'));
    await waitUntil(() => el.shadowRoot!.querySelector('[part="notice"]'), 'the window did not close', { timeout: 5000 });
    expect(events.at(-1)).to.equal(false);
  });

  it('asks nothing for a widget conversation', async () => {
    const { fetch, calls } = serve(closedWindow);
    const el = await fixture<DireturnReplyWindow>(html`<direturn-reply-window .api=${new ApiClient({ fetch })} .conversation=${conversation()}></direturn-reply-window>`);
    await el.updateComplete;
    expect(calls).to.have.length(0);
    expect(el.shadowRoot!.children).to.have.length(0);
  });
});

describe('the composer follows the reply window', () => {
  before(() => initI18n('en'));

  it('cannot send free text while the window is closed, and says why', async () => {
    const { fetch } = serve(closedWindow);
    const view = await fixture<DireturnConversationView>(html`<direturn-conversation-view
      .conversation=${whatsapp}
      .messages=${[message({ id: 'm1', conversationId: 'c-wa', body: 'Hallo' })]}
      .api=${new ApiClient({ fetch })}
      can-refer
    ></direturn-conversation-view>`);
    const windowEl = view.shadowRoot!.querySelector('direturn-reply-window')!;
    await waitUntil(() => windowEl.shadowRoot!.querySelector('[part="notice"]'));
    await view.updateComplete;
    const textarea = view.shadowRoot!.querySelector('textarea')!;
    expect(textarea.disabled).to.equal(true);
    expect(view.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).to.equal(true);
    expect(text(view.shadowRoot!.querySelector('#reply-hint'))).to.contain('Free text cannot be sent on this channel at the moment');
    // A widget conversation next: the composer is open again.
    view.conversation = conversation();
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('textarea')!.disabled).to.equal(false);
    expect(view.shadowRoot!.querySelector('direturn-reply-window')).to.equal(null);
  });
});
