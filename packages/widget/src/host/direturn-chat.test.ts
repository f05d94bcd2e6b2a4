import { expect, fixture, html, oneEvent, nextFrame } from '@open-wc/testing';
import { envelope } from '@direturn/protocol';
import { DiReturnChat, SERVER_ORIGIN } from './direturn-chat.js';
import { unreadText } from './texts.js';

function parts(el: DiReturnChat) {
  const root = el.shadowRoot!;
  return {
    launcher: root.querySelector<HTMLButtonElement>('[part=launcher]')!,
    panel: root.querySelector<HTMLElement>('[part=panel]')!,
    iframe: root.querySelector<HTMLIFrameElement>('iframe'),
    badge: root.querySelector<HTMLElement>('[part=badge]'),
  };
}

/** A message as if posted by the chat frame. */
function fromFrame(el: DiReturnChat, payload: unknown, opts: { origin?: string; source?: MessageEventSource | null } = {}) {
  const source = opts.source === undefined ? parts(el).iframe!.contentWindow : opts.source;
  window.dispatchEvent(new MessageEvent('message', { data: envelope(payload), origin: opts.origin ?? SERVER_ORIGIN, source }));
}

async function openAndReady(el: DiReturnChat) {
  parts(el).launcher.click();
  await el.updateComplete;
  fromFrame(el, { type: 'ready' });
  await el.updateComplete;
}

describe('<direturn-chat>', () => {
  it('creates no iframe before the launcher is clicked', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc"></direturn-chat>`);
    const { launcher, iframe, panel } = parts(el);
    expect(iframe).to.equal(null);
    expect(panel.hidden).to.equal(true);
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(launcher.getAttribute('aria-controls')).to.equal('panel');
  });

  it('builds the frame URL from the server origin, site, page origin, language and accent', async () => {
    const el = await fixture<DiReturnChat>(
      html`<direturn-chat site="caritas-ks" lang="ar-SY" style="--direturn-accent: #123456"></direturn-chat>`,
    );
    const opened = oneEvent(el, 'direturn-open');
    parts(el).launcher.click();
    await opened;
    const { iframe, launcher, panel } = parts(el);
    expect(iframe).to.not.equal(null);
    const url = new URL(iframe!.src);
    expect(url.origin).to.equal(SERVER_ORIGIN);
    expect(url.pathname).to.equal('/widget/frame');
    expect(url.searchParams.get('site')).to.equal('caritas-ks');
    expect(url.searchParams.get('host')).to.equal(location.origin);
    expect(url.searchParams.get('lang')).to.equal('ar');
    expect(url.searchParams.get('accent')).to.equal('#123456');
    // The page the visitor is on, without its query string (it may hold personal data).
    expect(url.searchParams.get('page')).to.equal(location.origin + location.pathname);
    expect(launcher.getAttribute('aria-expanded')).to.equal('true');
    expect(panel.hidden).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(true);
  });

  it('falls back to <html lang> for the language', async () => {
    const before = document.documentElement.lang;
    document.documentElement.lang = 'tr';
    try {
      const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc"></direturn-chat>`);
      el.show();
      await el.updateComplete;
      expect(new URL(parts(el).iframe!.src).searchParams.get('lang')).to.equal('tr');
      expect(parts(el).launcher.textContent).to.contain('Sohbeti kapat');
    } finally {
      document.documentElement.lang = before;
    }
  });

  it('closes on Escape and returns focus to the launcher', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    const { launcher } = parts(el);
    launcher.focus();
    launcher.click();
    await el.updateComplete;
    expect(el.open).to.equal(true);
    const closed = oneEvent(el, 'direturn-close');
    launcher.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await closed;
    expect(el.open).to.equal(false);
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(el.shadowRoot!.activeElement).to.equal(launcher);
    // the frame stays, so the conversation survives closing
    expect(parts(el).iframe).to.not.equal(null);
  });

  it('closes when the frame asks to and focuses the launcher', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    const windowClose = oneEvent(window, 'direturn:close');
    fromFrame(el, { type: 'request-close' });
    await windowClose;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(parts(el).launcher);
  });

  it('ignores bridge messages from a wrong origin or a wrong source', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    fromFrame(el, { type: 'request-close' }, { origin: 'https://evil.example' });
    fromFrame(el, { type: 'request-close' }, { source: window });
    fromFrame(el, { type: 'unread', count: 4 }, { origin: 'https://evil.example' });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect(el.unread).to.equal(0);
    // not an envelope
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'request-close' }, origin: SERVER_ORIGIN, source: parts(el).iframe!.contentWindow }));
    await el.updateComplete;
    expect(el.open).to.equal(true);
  });

  it('shows the unread count on the launcher with accessible text', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    el.hide();
    await el.updateComplete;
    fromFrame(el, { type: 'unread', count: 3 });
    await el.updateComplete;
    const { badge, launcher } = parts(el);
    expect(badge?.textContent).to.equal('3');
    expect(badge?.getAttribute('aria-hidden')).to.equal('true');
    expect(launcher.textContent).to.contain('3 neue Nachrichten');
    fromFrame(el, { type: 'unread', count: 0 });
    await el.updateComplete;
    expect(parts(el).badge).to.equal(null);
  });

  it('follows the language the frame reports for its label', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    fromFrame(el, { type: 'language', language: 'fa' });
    await el.updateComplete;
    const { launcher } = parts(el);
    expect(launcher.getAttribute('lang')).to.equal('fa');
    expect(launcher.getAttribute('dir')).to.equal('rtl');
    expect(launcher.textContent).to.contain('بستن گفتگو');
  });

  it('picks plural forms with Intl.PluralRules', () => {
    expect(unreadText('en', 1)).to.equal('1 new message');
    expect(unreadText('ru', 3)).to.equal('3 новых сообщения');
    expect(unreadText('ru', 5)).to.equal('5 новых сообщений');
    expect(unreadText('xx', 2)).to.equal('2 new messages');
  });

  it('is accessible when closed', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await expect(el).to.be.accessible();
    await nextFrame();
  });
});
