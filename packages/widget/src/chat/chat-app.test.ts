import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LANGUAGES } from '@direturn/protocol';
import type { ChatPrivacy } from './chat-privacy.js';
import { initI18n } from '../i18n/i18n.js';
import { VisitorConnection } from './connection.js';
import { FakeSocket, ManualTimers, MemoryStorage } from './fake-socket.test-util.js';
import { LANGUAGE_STORAGE_KEY, type ChatApp } from './chat-app.js';
import { FakeBridge, PRIVACY, TOKEN, bubbles, msg, setup } from './chat-app.test-util.js';
import { pickLanguage } from './pick-language.js';
import './chat-app.js';
import { registerHomeEntry } from '../home/entries.js';
import { openFrameStorage } from './storage.js';
import { contrastRatio } from '../theme/accent.js';

const rgb = (css: string): [number, number, number] => {
  const m = css.match(/rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

describe('<direturn-chat-app>', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
  });

  it('tells the host it is ready', async () => {
    const { bridge } = await setup();
    expect(bridge.posted[0]).to.deep.equal({ type: 'ready' });
  });

  it('shows message bodies as literal text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { list } = await setup('de', { messages: [msg(1, { body: evil })] });
    const [bubble] = bubbles(list);
    expect(bubble!.textContent).to.equal(evil);
    expect(bubble!.querySelector('img')).to.equal(null);
    expect(bubble!.getAttribute('dir')).to.equal('auto');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('shows own messages as sending, sent and read', async () => {
    const { el, connection, socket, list } = await setup('de', { messages: [msg(1)] });
    const clientId = connection.send('Guten Tag');
    await el.updateComplete;
    await list.updateComplete;
    const state = () => list.shadowRoot!.querySelector('li.visitor .state')?.textContent;
    expect(state()).to.equal('Wird gesendet…');
    socket.serverSend({ type: 'ack', clientId, message: msg(2, { author: 'visitor', body: 'Guten Tag', clientId, agentName: null }) });
    await el.updateComplete;
    await list.updateComplete;
    expect(state()).to.equal('Gesendet');
    socket.serverSend({ type: 'read', conversationId: 'c1', by: 'agent', seq: 2 });
    await el.updateComplete;
    await list.updateComplete;
    expect(state()).to.equal('Gelesen');
  });

  it('shows the home entries beside the composer, opens a view and sends the next message with the article it was asked about', async () => {
    registerHomeEntry({ id: 'test-view', label: 'home.info', load: async () => 'div' });
    const { el, socket } = await setup('ar');
    await el.updateComplete;
    // only registered views have an entry: information, asking for a call back, the orientation check, the office search, continuing on another device, and the test's own
    const labels = [...el.shadowRoot!.querySelectorAll('[part="entry"]')].map((b) => b.textContent!.trim());
    expect(labels).to.deep.equal(['ابحث عن معلومات', 'اطلب أن نتصل بك', 'فحص التوجيه', 'ابحث عن مركز الاستشارة الخاص بي', 'المتابعة على جهاز آخر', 'ابحث عن معلومات']);
    await el.openEntry('test-view');
    await el.updateComplete;
    const view = el.shadowRoot!.querySelector('.view > div')!;
    expect(el.shadowRoot!.querySelector('[part="entries"]')).to.equal(null);
    view.dispatchEvent(new CustomEvent('direturn-talk-about', { detail: { articleId: '6f1c2b1e-8f2a-4c7e-9a55-1d2e3f4a5b6c', language: 'ar', title: 'وثائق السفر' }, bubbles: true, composed: true }));
    await waitUntil(() => el.shadowRoot!.querySelector('[part="context"]'), 'no context above the composer');
    expect(el.shadowRoot!.querySelector('[part="context"]')!.textContent).to.contain('بخصوص: وثائق السفر');
    const textarea = el.shadowRoot!.querySelector('direturn-chat-composer')!.shadowRoot!.querySelector('textarea')!;
    textarea.value = 'سؤال';
    textarea.dispatchEvent(new Event('input'));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(socket.sentOfType('send').map((f) => f['context'])).to.deep.equal([{ kind: 'article', articleId: '6f1c2b1e-8f2a-4c7e-9a55-1d2e3f4a5b6c', language: 'ar' }]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="context"]')).to.equal(null);
  });

  it('shows no home entries on a site that opens with the chat alone', async () => {
    const { el } = await setup('de');
    expect(el.shadowRoot!.querySelector('[part="entries"]')).to.not.equal(null);
    el.startView = 'chat';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="entries"]')).to.equal(null);
  });

  it('sends what the visitor types with Enter and keeps Shift+Enter for new lines', async () => {
    const { el, socket } = await setup('de');
    const composer = el.shadowRoot!.querySelector('direturn-chat-composer')!;
    const textarea = composer.shadowRoot!.querySelector('textarea')!;
    expect(composer.shadowRoot!.querySelector('label')!.textContent).to.equal('Ihre Nachricht');
    textarea.value = 'Zeile 1';
    textarea.dispatchEvent(new Event('input'));
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true }));
    expect(socket.sentOfType('send')).to.have.length(0);
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(socket.sentOfType('send').map((f) => f['body'])).to.deep.equal(['Zeile 1']);
    expect(socket.sentOfType('typing')).to.deep.include({ type: 'typing', active: true });
  });

  it('shows the notice when no counsellor is online', async () => {
    const { el, socket } = await setup('de', { agentsOnline: false });
    const notice = () => el.shadowRoot!.querySelector('[part=notice]');
    expect(notice()?.textContent).to.contain('Sie können trotzdem schreiben');
    socket.serverSend({ type: 'presence', agentsOnline: true });
    await el.updateComplete;
    expect(notice()).to.equal(null);
  });

  it('translates system messages and shows errors', async () => {
    const { el, socket, list } = await setup('de', { messages: [msg(1, { author: 'system', body: 'claimed', agentName: null })] });
    expect(bubbles(list)[0]!.textContent).to.equal('Eine Beraterin oder ein Berater ist dem Gespräch beigetreten.');
    socket.serverSend({ type: 'error', code: 'conversation_closed', message: 'closed' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=error]')!.textContent).to.contain('wurde beendet');
    // a code without a text of its own (the server's `internal`) reads as the generic error, never as a key
    socket.serverSend({ type: 'error', code: 'internal', message: 'internal' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=error]')!.textContent!.trim()).to.equal('Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.');
  });

  it('reports unread counsellor messages to the host and marks them read when open', async () => {
    const { el, socket, bridge } = await setup('de', { messages: [msg(1)] });
    expect(socket.sentOfType('read')).to.deep.equal([{ type: 'read', seq: 1 }]);
    bridge.handler!({ type: 'close' });
    await el.updateComplete;
    socket.serverSend({ type: 'message', message: msg(2) });
    await el.updateComplete;
    expect(bridge.posted.at(-1)).to.deep.equal({ type: 'unread', count: 1 });
    bridge.handler!({ type: 'open' });
    await el.updateComplete;
    await el.updateComplete;
    expect(socket.sentOfType('read').at(-1)).to.deep.equal({ type: 'read', seq: 2 });
    expect(bridge.posted.at(-1)).to.deep.equal({ type: 'unread', count: 0 });
  });

  it('asks the host to close on Escape', async () => {
    const { bridge } = await setup('de');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(bridge.posted.at(-1)).to.deep.equal({ type: 'request-close' });
  });

  it('is accessible with messages in German', async () => {
    const { el } = await setup('de', {
      agentsOnline: false,
      messages: [msg(1, { author: 'visitor', body: 'Ich möchte zurück nach Kosovo.', clientId: 'abcdefgh01', agentName: null }), msg(2)],
    });
    await expect(el).to.be.accessible();
  });

  it('is right-to-left and accessible in Arabic', async () => {
    const { el, list } = await setup('ar', {
      messages: [msg(1, { author: 'visitor', body: 'أريد العودة إلى سوريا', clientId: 'abcdefgh02', agentName: null }), msg(2, { body: 'مرحبا' })],
      agentReadSeq: 1,
    });
    expect(document.documentElement.lang).to.equal('ar');
    expect(document.documentElement.dir).to.equal('rtl');
    const header = el.shadowRoot!.querySelector('direturn-chat-header')!;
    await waitUntil(() => header.shadowRoot!.querySelector('h1')?.textContent === 'استشارات العودة');
    expect(list.shadowRoot!.querySelector('li.visitor .state')!.textContent).to.equal('تمت القراءة');
    expect(getComputedStyle(list).direction).to.equal('rtl');
    await expect(el).to.be.accessible();
  });
});

describe('<direturn-chat-app> in every language', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
    localStorage.removeItem(LANGUAGE_STORAGE_KEY);
  });

  it('reports its starting language to the host', async () => {
    const { bridge } = await setup('ru');
    expect(bridge.posted.slice(0, 2)).to.deep.equal([{ type: 'ready' }, { type: 'language', language: 'ru' }]);
  });

  it('switches through the language menu to every shipped language, with lang and dir on the document', async () => {
    const { el, bridge, socket } = await setup('de');
    const header = el.shadowRoot!.querySelector('direturn-chat-header')!;
    await header.updateComplete;
    const select = header.shadowRoot!.querySelector('select')!;
    // each language in its own name and script, marked with its language for screen readers
    const options = [...select.options].map((o) => [o.value, o.lang, o.textContent]);
    expect(options).to.deep.equal(LANGUAGES.map((l) => [l.code, l.code, l.nativeName]));
    const titles = new Set<string>();
    for (const { code, dir } of LANGUAGES) {
      select.value = code;
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => document.documentElement.lang === code, `switch to ${code}`);
      await header.updateComplete;
      expect(document.documentElement.dir, code).to.equal(dir);
      expect(select.value, code).to.equal(code);
      expect(localStorage.getItem(LANGUAGE_STORAGE_KEY) ?? el.storage.storage.getItem(LANGUAGE_STORAGE_KEY)).to.equal(code);
      expect(bridge.posted.at(-1)).to.deep.equal({ type: 'language', language: code });
      expect(socket.sent.at(-1), code).to.deep.include({ type: 'language', language: code });
      titles.add(header.shadowRoot!.querySelector('h1')!.textContent!);
    }
    // no language silently showed another's title
    expect(titles.size).to.equal(LANGUAGES.length);
  });

  it('is accessible with messages in Russian', async () => {
    const { el } = await setup('ru', {
      agentsOnline: false,
      messages: [msg(1, { author: 'visitor', body: 'Хочу вернуться домой', clientId: 'abcdefgh03', agentName: null }), msg(2)],
    });
    expect(document.documentElement.dir).to.equal('ltr');
    await expect(el).to.be.accessible();
  });
});

describe('pickLanguage', () => {
  const none = { requested: null, stored: null, page: null, browser: [] as string[], siteDefault: null };
  it('puts the lang attribute first, then the visitor\'s choice, page, browser, site default', () => {
    const all = { requested: 'ru', stored: 'ar', page: 'tr', browser: ['uk-UA', 'en'], siteDefault: 'fr' };
    expect(pickLanguage(all)).to.equal('ru');
    expect(pickLanguage({ ...all, requested: null })).to.equal('ar');
    expect(pickLanguage({ ...all, requested: null, stored: null })).to.equal('tr');
    expect(pickLanguage({ ...all, requested: null, stored: null, page: null })).to.equal('uk');
    expect(pickLanguage({ ...none, browser: ['ja', 'xx'], siteDefault: 'fr' })).to.equal('fr');
    expect(pickLanguage({ ...none, requested: 'xx', page: 'prs-AF' })).to.equal('fa');
    expect(pickLanguage(none)).to.equal('de');
  });
});

describe('<direturn-chat-app> when the browser blocks storage in frames', () => {
  it('falls back to memory and tells the visitor it will not remember them', async () => {
    const blocked = openFrameStorage(() => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    });
    expect(blocked.persistent).to.equal(false);
    blocked.storage.setItem('k', 'v');
    expect(blocked.storage.getItem('k')).to.equal('v');

    await initI18n('de');
    const connection = new VisitorConnection({
      url: 'ws://test/ws/visitor',
      site: 's1',
      origin: 'https://partner.example',
      language: 'de',
      WebSocket: FakeSocket,
      storage: blocked.storage,
      timers: new ManualTimers(),
      onlineTarget: null,
    });
    const el = await fixture<ChatApp>(html`<direturn-chat-app site="s1" .connection=${connection} .storage=${blocked}></direturn-chat-app>`);
    const notes = [...el.shadowRoot!.querySelectorAll('[part="notice"]')].map((n) => n.textContent ?? '');
    expect(notes.some((text) => text.includes('nicht, Sie wiederzuerkennen'))).to.equal(true);
    expect(openFrameStorage().persistent).to.equal(true);
  });
});

const privacyIn = (root: Element) => root.shadowRoot!.querySelector<ChatPrivacy>('direturn-chat-privacy');
const errorText = (el: ChatApp) => el.shadowRoot!.querySelector('[part=error]')!.textContent!.trim();
async function settle(el: ChatApp) {
  await el.updateComplete;
  const p = privacyIn(el);
  await p?.updateComplete;
  const list = el.shadowRoot!.querySelector('direturn-chat-messages');
  await (list as ChatApp | null)?.updateComplete;
}
/** The element that has focus, looking into shadow roots. */
function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

describe('<direturn-chat-app> privacy and "delete my data"', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
  });

  it('shows the privacy notice before the first message, with safe links only, and hides it once the visitor writes', async () => {
    const { el, connection } = await setup('de', { privacy: PRIVACY });
    await settle(el);
    const notice = privacyIn(el)!;
    expect(notice.slot).to.equal(''); // inside the message list, above the messages
    const root = notice.shadowRoot!;
    expect(root.querySelector('h2')!.textContent).to.equal('Ihr Datenschutz');
    expect(root.textContent).to.contain('Wir speichern Ihre Nachrichten verschlüsselt.');
    expect(root.textContent).to.contain('Wie lange wir die Daten speichern: 90 Tage');
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.org/wer', 'https://example.org/datenschutz']);
    for (const a of links) {
      expect(a.target).to.equal('_blank');
      expect(a.rel).to.contain('noopener');
      expect(a.rel).to.contain('noreferrer');
    }
    expect(root.textContent).to.not.contain('böse');
    // nothing to delete yet
    expect(root.querySelector('[part=delete]')).to.equal(null);
    connection.send('Hallo');
    await settle(el);
    expect(privacyIn(el)).to.equal(null);
  });

  it('is accessible with the privacy notice in German', async () => {
    const { el } = await setup('de', { privacy: PRIVACY });
    await settle(el);
    await expect(el).to.be.accessible();
  });

  it('shows the privacy notice right-to-left and accessibly in Arabic', async () => {
    const ar = await setup('ar', { privacy: { ...PRIVACY, language: 'ar', text: 'نحفظ رسائلك مشفّرة. https://example.org/ar' } });
    await settle(ar.el);
    const root = privacyIn(ar.el)!.shadowRoot!;
    await waitUntil(() => root.querySelector('h2')!.textContent === 'خصوصيتك');
    expect(root.textContent).to.match(/مدة الاحتفاظ بها: (90|٩٠) يومًا/); // Intl decides the digits
    expect(getComputedStyle(root.querySelector('p')!).direction).to.equal('rtl');
    await expect(ar.el).to.be.accessible();
  });

  it('opens the notice from the header, moves focus to it and goes back with Escape', async () => {
    const { el } = await setup('de', { privacy: PRIVACY, messages: [msg(1, { author: 'visitor', clientId: 'abcdefgh09', agentName: null })] });
    expect(privacyIn(el)).to.equal(null); // the visitor has written: not above the messages any more
    const header = el.shadowRoot!.querySelector('direturn-chat-header')!;
    const button = header.shadowRoot!.querySelector<HTMLButtonElement>('[part=privacy]')!;
    expect(button.getAttribute('aria-label')).to.equal('Datenschutz und Ihre Daten');
    button.click();
    await waitUntil(() => deepActive()?.tagName === 'H2', 'focus on the heading');
    expect(el.shadowRoot!.querySelector('direturn-chat-messages')).to.equal(null);
    deepActive()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-chat-messages') !== null);
    await waitUntil(() => deepActive() === button, 'focus back on the privacy button');
  });

  for (const lang of ['de', 'ar'] as const) {
    it(`confirms before deleting, Escape cancels, and is accessible (${lang})`, async () => {
      const { el, socket } = await setup(lang, { privacy: PRIVACY, messages: [msg(1)] });
      el.shadowRoot!.querySelector('direturn-chat-header')!.dispatchEvent(new Event('direturn-privacy-open'));
      await settle(el);
      const view = el.shadowRoot!.querySelector<ChatPrivacy>('.panel direturn-chat-privacy')!;
      await view.updateComplete;
      const del = view.shadowRoot!.querySelector<HTMLButtonElement>('[part=delete]')!;
      del.click();
      await view.updateComplete;
      const dialog = view.shadowRoot!.querySelector('[role=alertdialog]')!;
      expect(dialog.contains(deepActive())).to.equal(true); // focus moved into the confirmation
      if (lang === 'de') expect(dialog.textContent).to.contain('endgültig von unserem Server gelöscht');
      else expect(dialog.textContent).to.contain('نهائيًا');
      await expect(el).to.be.accessible();
      // Escape cancels the confirmation only; the chat stays open
      const requests = (el as unknown as { bridge: FakeBridge }).bridge.posted.length;
      deepActive()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
      await view.updateComplete;
      expect(view.shadowRoot!.querySelector('[role=alertdialog]')).to.equal(null);
      expect(deepActive()).to.equal(view.shadowRoot!.querySelector('[part=delete]'));
      expect((el as unknown as { bridge: FakeBridge }).bridge.posted.length).to.equal(requests);
      expect(socket.sentOfType('delete')).to.deep.equal([]);
    });
  }

  it('deletes, forgets token, outbox and read position, says so calmly and starts fresh only when the visitor writes', async () => {
    const { el, socket, connection } = await setup('de', { privacy: PRIVACY, messages: [msg(1)] });
    const storage = connection['opts'].storage;
    expect(storage.getItem('direturn:v1:token:s1')).to.equal(TOKEN);
    expect(el.storage.storage.getItem('direturn:v1:read:s1')).to.not.equal(null);
    el.shadowRoot!.querySelector('direturn-chat-header')!.dispatchEvent(new Event('direturn-privacy-open'));
    await settle(el);
    const view = el.shadowRoot!.querySelector<ChatPrivacy>('.panel direturn-chat-privacy')!;
    await view.updateComplete;
    view.shadowRoot!.querySelector<HTMLButtonElement>('[part=delete]')!.click();
    await view.updateComplete;
    view.shadowRoot!.querySelector<HTMLButtonElement>('[role=alertdialog] .danger')!.click();
    await settle(el);
    expect(socket.sentOfType('delete')).to.deep.equal([{ type: 'delete' }]);
    expect(view.shadowRoot!.querySelector('[role=alertdialog] .danger')!.textContent!.trim()).to.equal('Wird gelöscht…');

    socket.serverSend({ type: 'deleted' });
    socket.serverDrop(4410);
    await settle(el);
    const done = el.shadowRoot!.querySelector<HTMLElement>('#deleted')!;
    expect(done.textContent).to.equal('Ihr Gespräch und Ihre Kennung wurden gelöscht. Wenn Sie wieder schreiben, beginnt ein neues anonymes Gespräch.');
    await waitUntil(() => deepActive() === done, 'focus on the confirmation');
    expect(storage.getItem('direturn:v1:token:s1')).to.equal(null);
    expect(el.storage.storage.getItem('direturn:v1:read:s1')).to.equal(null);
    const list = el.shadowRoot!.querySelector('direturn-chat-messages')!;
    await list.updateComplete;
    expect(bubbles(list)).to.have.length(0);
    const header = el.shadowRoot!.querySelector('direturn-chat-header')!;
    await header.updateComplete;
    expect(header.shadowRoot!.querySelector('[part=state]')!.textContent!.trim()).to.equal('Bereit für ein neues Gespräch');
    expect(FakeSocket.instances).to.have.length(1);
    await expect(el).to.be.accessible();

    connection.send('Noch eine Frage');
    expect(FakeSocket.instances).to.have.length(2);
    FakeSocket.last.serverOpen();
    expect(FakeSocket.last.sentOfType('hello')[0]).to.not.have.property('token');
    await settle(el);
    expect(el.shadowRoot!.querySelector('#deleted')).to.equal(null);
  });
});

describe('<direturn-chat-app> limits and links', () => {
  it('says a rate-limited message will be sent shortly and sends it after retryAfterMs', async () => {
    const { el, socket, connection, timers } = await setup('de');
    const id = connection.send('schnell');
    socket.serverSend({ type: 'error', code: 'rate_limited', message: 'slow', ref: id, retryAfterMs: 2000 });
    await el.updateComplete;
    expect(errorText(el)).to.equal('Sie senden zu schnell. Ihre Nachricht wird in wenigen Sekunden gesendet.');
    timers.fire(2000);
    expect(socket.sentOfType('send').map((f) => f['clientId'])).to.deep.equal([id, id]);
    socket.serverSend({ type: 'ack', clientId: id, message: msg(1, { author: 'visitor', body: 'schnell', clientId: id, agentName: null }) });
    await el.updateComplete;
    expect(errorText(el)).to.equal('');
  });

  it('shows a visible waiting state when the server refuses the socket (4429) and retries later', async () => {
    const { el, socket, timers } = await setup('en');
    socket.serverSend({ type: 'error', code: 'rate_limited', message: 'busy', retryAfterMs: 20_000 });
    socket.serverDrop(4429);
    await el.updateComplete;
    expect(errorText(el)).to.equal('The chat is very busy right now. It will try again automatically in a moment.');
    expect(timers.delays).to.include(20_000);
  });

  it('marks a refused message "not sent" with the reason at the message, not in the banner', async () => {
    const { el, socket, connection, list } = await setup('de');
    const id = connection.send('zu lang');
    socket.serverSend({ type: 'error', code: 'too_large', message: 'too large', ref: id });
    await el.updateComplete;
    await list.updateComplete;
    expect(list.shadowRoot!.querySelector('li.failed .failed')!.textContent).to.equal('Nicht gesendet – Diese Nachricht ist zu lang. Bitte kürzen Sie sie.');
    expect(errorText(el)).to.equal('');
  });

  it('words "not sent" and its reason as one translated message', async () => {
    const { el, socket, connection, list } = await setup('ar');
    const id = connection.send('طويلة');
    socket.serverSend({ type: 'error', code: 'too_large', message: 'too large', ref: id });
    await el.updateComplete;
    await list.updateComplete;
    // Arabic joins them with a colon, not with the dash the other languages use
    expect(list.shadowRoot!.querySelector('li.failed .failed')!.textContent).to.equal('لم يتم الإرسال: هذه الرسالة طويلة جدًا. يرجى تقصيرها.');
  });

  it('makes http(s) addresses in messages clickable, safely, and wraps long ones', async () => {
    const long = `https://example.org/${'weiter/'.repeat(40)}`;
    const { list } = await setup('de', {
      messages: [msg(1, { body: `Info: https://www.bamf.de/rueckkehr. Nicht: javascript:alert(1) <a href="javascript:alert(1)">x</a> ${long}` })],
    });
    const [bubble] = bubbles(list);
    const links = [...bubble!.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://www.bamf.de/rueckkehr', long]);
    for (const a of links) expect(a.rel).to.equal('noopener noreferrer nofollow');
    expect(bubble!.textContent).to.contain('<a href="javascript:alert(1)">x</a>');
    expect(bubble!.scrollWidth).to.be.at.most(bubble!.clientWidth + 1);
  });

  it('rings a focused link in an own (accent-coloured) bubble so it stands out (at least 3:1)', async () => {
    const { list } = await setup('de', {
      messages: [msg(1, { author: 'visitor', body: 'Siehe https://www.bamf.de', clientId: 'abcdefgh09', agentName: null })],
    });
    const [bubble] = bubbles(list);
    const link = bubble!.querySelector('a')!;
    link.focus();
    expect(link.matches(':focus-visible')).to.equal(true);
    const ring = rgb(getComputedStyle(link).outlineColor);
    expect(contrastRatio(ring, rgb(getComputedStyle(bubble!).backgroundColor))).to.be.at.least(3);
  });
});

