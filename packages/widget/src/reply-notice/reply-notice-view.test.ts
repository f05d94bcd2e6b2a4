import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { msg, setup } from '../chat/chat-app.test-util.js';
import type { FakeSocket } from '../chat/fake-socket.test-util.js';
import type { ReplyNoticeView } from './reply-notice-view.js';

// E-mail notices of a waiting reply inside the chat: offered only when the server says so and a
// conversation is open, the view loaded when opened, the form by keyboard with every wrong field
// told where it is, on and off over the socket as the server answers; right to left; axe-clean.

function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

const viewLoaded = () => performance.getEntriesByType('resource').some((e) => /reply-notice-view\.(ts|js)(\?|$)/.test(e.name));
const entryOf = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="reply-notice-entry"]');
const lastSent = (socket: FakeSocket) => socket.sent.at(-1) as Record<string, unknown>;

async function openView(el: HTMLElement): Promise<ReplyNoticeView> {
  entryOf(el)!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('direturn-reply-notice-view'), 'view not opened', { timeout: 15_000 });
  const view = el.shadowRoot!.querySelector<ReplyNoticeView>('direturn-reply-notice-view')!;
  await waitUntil(() => view.shadowRoot!.querySelector('h2'), 'texts not loaded', { timeout: 5000 });
  await waitUntil(() => deepActive()?.tagName === 'H2', 'heading not focused');
  return view;
}

async function offered(lang: 'en' | 'ar', on = false) {
  const s = await setup(lang, { messages: [msg(1, { author: 'visitor', agentName: null }), msg(2)] });
  s.socket.serverSend({ type: 'reply-notice', on, since: on ? Date.UTC(2026, 11, 7, 9) : null });
  await s.el.updateComplete;
  return s;
}

describe('reply notice view', function (this: { timeout(ms: number): void }) {
  this.timeout(20_000);

  it('is not offered without the server saying so, nor before a conversation', async () => {
    const { el } = await setup('en', { messages: [msg(1)] });
    expect(entryOf(el), 'a server without mail offers nothing').to.equal(null);
    const fresh = await setup('en');
    fresh.socket.serverSend({ type: 'reply-notice', on: false, since: null });
    await fresh.el.updateComplete;
    expect(entryOf(fresh.el), 'no conversation yet').to.equal(null);
  });

  it('loads only when opened, speaks Arabic right to left and is accessible', async () => {
    const { el } = await offered('ar');
    expect(viewLoaded(), 'the open chat carries only the entry').to.equal(false);
    expect(entryOf(el)!.textContent!.trim()).to.equal('أخبرني بالبريد الإلكتروني عندما ينتظرني رد');
    const view = await openView(el);
    expect(viewLoaded()).to.equal(true);
    expect(document.documentElement.dir).to.equal('rtl');
    const root = view.shadowRoot!;
    expect(root.querySelector('h2')!.textContent).to.equal('بريد إلكتروني عندما ينتظرك رد');
    // Addresses are written left to right inside the right-to-left form.
    expect(root.querySelector('input[name="email"]')!.getAttribute('dir')).to.equal('ltr');
    await expect(view).to.be.accessible();
  });

  it('tells every wrong field where it is and sends nothing; then turns on by keyboard and off again', async () => {
    const { el, socket } = await offered('en');
    const view = await openView(el);
    const root = view.shadowRoot!;
    const before = socket.sent.length;
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelectorAll('[aria-invalid="true"]').length === 2, 'fields not marked');
    const errors = () => [...root.querySelectorAll('[part="error"]')].map((e) => e.textContent!.trim()).filter(Boolean);
    expect(errors()).to.deep.equal(['Please enter your e-mail address.', 'Please agree, otherwise we cannot write to you.']);
    expect(deepActive()).to.equal(root.querySelector('input[name="email"]'));
    expect(socket.sent.length, 'nothing sent').to.equal(before);
    await expect(view).to.be.accessible();

    await sendKeys({ type: 'amal@localhost' });
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await view.updateComplete;
    expect(errors()[0]).to.equal('This does not look like an e-mail address. Please check it.');

    const email = root.querySelector<HTMLInputElement>('input[name="email"]')!;
    email.focus();
    email.select();
    await sendKeys({ type: 'amal@example.org' });
    root.querySelector<HTMLInputElement>('input[name="consent"]')!.focus();
    await sendKeys({ press: 'Space' });
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => socket.sent.length > before, 'not sent');
    expect(lastSent(socket)).to.deep.equal({ type: 'reply-notice-on', email: 'amal@example.org', consent: true });

    // The server's answer: on. The state takes the focus and says so.
    socket.serverSend({ type: 'reply-notice', on: true, since: Date.now() });
    await waitUntil(() => root.querySelector('[part="state"]'), 'state not shown');
    await waitUntil(() => deepActive() === root.querySelector('#state-title'), 'state not focused');
    expect(root.querySelector('.message')!.textContent).to.equal('E-mail notices are on.');
    expect(root.querySelector('form'), 'the form goes').to.equal(null);
    await expect(view).to.be.accessible();

    const remove = [...root.querySelectorAll<HTMLButtonElement>('[part="state"] button')].find((b) => b.textContent!.includes('Delete my e-mail address'))!;
    remove.click();
    expect(lastSent(socket)).to.deep.equal({ type: 'reply-notice-off' });
    socket.serverSend({ type: 'reply-notice', on: false, since: null });
    await waitUntil(() => !root.querySelector('[part="state"]'), 'state still shown');
    expect(root.querySelector('.message')!.textContent).to.equal('Your e-mail address is deleted. You will get no more e-mails.');
  });

  it("shows the server's issues at their fields, and the entry says when notices are on", async () => {
    const { el, socket } = await offered('en');
    const view = await openView(el);
    const root = view.shadowRoot!;
    const email = root.querySelector<HTMLInputElement>('input[name="email"]')!;
    email.value = 'someone@example.org';
    email.dispatchEvent(new Event('input'));
    root.querySelector<HTMLInputElement>('input[name="consent"]')!.click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    socket.serverSend({ type: 'error', code: 'reply_notice_invalid', message: 'no', ref: 'reply-notice', issues: ['email: email_invalid'] });
    await waitUntil(() => email.getAttribute('aria-invalid') === 'true', 'server issue not shown');
    socket.serverSend({ type: 'reply-notice', on: true, since: Date.now() });
    root.querySelector<HTMLButtonElement>('.actions > button.secondary')!.click();
    await waitUntil(() => entryOf(el), 'entry back');
    expect(entryOf(el)!.textContent!.trim()).to.equal('E-mail notices: on');
    // The conversation ends and a new one begins: notices belonged to the old one.
    socket.serverSend({ type: 'conversation', conversation: { id: 'c2', status: 'waiting', language: 'en', lastSeq: 1, agentReadSeq: 0, agentName: null } });
    await waitUntil(() => entryOf(el)?.textContent!.trim() === 'Tell me by e-mail when a reply is waiting', 'the new conversation shows notices as on');
  });
});
