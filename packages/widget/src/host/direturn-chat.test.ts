import { expect, fixture, fixtureCleanup, html, oneEvent, nextFrame } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { envelope } from '@direturn/protocol';
import { DiReturnChat, SERVER_ORIGIN } from './direturn-chat.js';
import { LANGUAGES, matchLanguage } from '@direturn/protocol';
import { titleText, unreadText } from './texts.js';
import { contrastRatio } from '../theme/accent.js';

const rgb = (css: string): [number, number, number] => {
  const m = css.match(/rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

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

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 100 && !condition(); i++) await nextFrame();
  expect(condition()).to.equal(true);
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
      const params = new URL(parts(el).iframe!.src).searchParams;
      // the page's language ranks below the visitor's own choice, which only the frame knows
      expect(params.get('lang')).to.equal(null);
      expect(params.get('pagelang')).to.equal('tr');
      expect(parts(el).launcher.textContent).to.contain('Danışmanlık sohbeti');
      expect(el.shadowRoot!.querySelector('[lang]')!.getAttribute('lang')).to.equal('tr');
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

  it('grants microphone and camera to the frame only when the visitor accepts a call, by loading it again with them', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    const before = parts(el).iframe!;
    const first = before.src;
    expect(before.hasAttribute('allow')).to.equal(false);
    fromFrame(el, { type: 'call', callId: 'call-0000000001', media: 'video' });
    await el.updateComplete;
    const after = parts(el).iframe!;
    expect(after.getAttribute('allow')).to.equal('microphone; camera; autoplay');
    expect(after.src).to.equal(`${first}&call=video.call-0000000001`);
    // A voice call gets the microphone only.
    fromFrame(el, { type: 'ready' });
    fromFrame(el, { type: 'call', callId: 'call-0000000002', media: 'voice' });
    await el.updateComplete;
    expect(parts(el).iframe!.getAttribute('allow')).to.equal('microphone; autoplay');
    // Only the frame may ask.
    fromFrame(el, { type: 'call', callId: 'call-0000000003', media: 'video' }, { origin: 'https://evil.example' });
    await el.updateComplete;
    expect(parts(el).iframe!.getAttribute('allow')).to.equal('microphone; autoplay');
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
    expect(launcher.textContent).to.contain('Neue Nachrichten: 3');
    fromFrame(el, { type: 'unread', count: 0 });
    await el.updateComplete;
    expect(parts(el).badge).to.equal(null);
  });

  it('writes the badge number in the language\'s digits, capped at 99+', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="fa"></direturn-chat>`);
    await openAndReady(el);
    el.hide();
    await el.updateComplete;
    fromFrame(el, { type: 'unread', count: 3 });
    await el.updateComplete;
    expect(parts(el).badge?.textContent).to.equal('۳');
    fromFrame(el, { type: 'unread', count: 150 });
    await el.updateComplete;
    expect(parts(el).badge?.textContent).to.equal('۹۹+');
    expect(parts(el).launcher.textContent).to.contain('پیام‌های جدید: ۱۵۰');
  });

  it('lets the frame follow the visitor\'s colour scheme even when the page declares none', async () => {
    expect(getComputedStyle(document.documentElement).colorScheme).to.equal('normal');
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    el.show();
    await el.updateComplete;
    expect(getComputedStyle(parts(el).iframe!).colorScheme).to.equal('light dark');
  });

  for (const [name, style] of [
    ['the default theme', ''],
    ['a light theme accent', '--direturn-accent: #ffd54f; --direturn-accent-contrast: #1b1f23'],
  ] as const) {
    it(`rings the focused launcher so it stands out from the accent and the page (${name})`, async () => {
      const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de" style=${style}></direturn-chat>`);
      const { launcher } = parts(el);
      launcher.focus();
      expect(launcher.matches(':focus-visible')).to.equal(true);
      const css = getComputedStyle(launcher);
      expect(css.outlineStyle).to.equal('solid');
      expect(css.outlineWidth).to.equal('3px');
      const ring = rgb(css.outlineColor);
      // inside: the launcher's accent
      expect(contrastRatio(ring, rgb(css.backgroundColor))).to.be.at.least(3);
      // outside: the accent halo right around the ring (not the page, whose colour is unknown)
      const [halo] = css.boxShadow.split(/,(?![^(]*\))/);
      expect(halo).to.match(/ 0px 0px 0px 6px$/);
      expect(rgb(halo!)).to.deep.equal(rgb(css.backgroundColor));
      expect(Number.parseFloat(css.outlineOffset)).to.equal(0);
    });
  }

  it('follows the language the frame reports for its label', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    fromFrame(el, { type: 'language', language: 'fa' });
    await el.updateComplete;
    const root = el.shadowRoot!.querySelector('[lang]')!;
    expect(root.getAttribute('lang')).to.equal('fa');
    expect(parts(el).launcher.textContent).to.contain('گفتگوی مشاوره');
  });

  it('writes the unread count with Intl in the language, English for unknown languages', () => {
    expect(unreadText('en', 1)).to.equal('New messages: 1');
    expect(unreadText('fa', 3)).to.equal('پیام‌های جدید: ۳');
    expect(unreadText('de', 1200)).to.equal('Neue Nachrichten: 1.200');
    expect(unreadText('xx', 2)).to.equal('New messages: 2');
    expect(titleText('xx')).to.equal('Counselling chat');
  });

  it('switches an open chat when the page changes the lang attribute, without reloading the frame', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await openAndReady(el);
    const { iframe } = parts(el);
    const src = iframe!.src;
    // listen in the frame's document, not the about:blank before it
    while (iframe!.contentDocument?.readyState !== 'complete' || iframe!.contentWindow!.location.pathname !== '/widget/frame') await nextFrame();
    const posted: unknown[] = [];
    const spy = (e: MessageEvent) => posted.push(e.data);
    iframe!.contentWindow!.addEventListener('message', spy);
    el.setAttribute('lang', 'ar-SY');
    await el.updateComplete;
    await nextFrame();
    expect(el.language).to.equal('ar');
    expect(posted).to.deep.include(envelope({ type: 'set-language', language: 'ar' }));
    expect(parts(el).iframe!.src).to.equal(src);
    // an unknown language changes nothing
    posted.length = 0;
    el.setAttribute('lang', 'xx');
    await el.updateComplete;
    await nextFrame();
    expect(el.language).to.equal('ar');
    expect(posted).to.deep.equal([]);
    iframe!.contentWindow!.removeEventListener('message', spy);
  });

  it('takes the latest of setLanguage and the lang attribute, also before the chat opens', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    el.setLanguage('uk');
    el.setAttribute('lang', 'ar');
    await el.updateComplete;
    expect(el.language).to.equal('ar');
    el.show();
    await el.updateComplete;
    expect(new URL(parts(el).iframe!.src).searchParams.get('lang')).to.equal('ar');
  });

  it('passes the lang attribute to the frame ahead of the page language', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="ru"></direturn-chat>`);
    el.show();
    await el.updateComplete;
    const params = new URL(parts(el).iframe!.src).searchParams;
    expect(params.get('lang')).to.equal('ru');
    expect(params.get('pagelang')).to.equal(matchLanguage(document.documentElement.lang) ?? null);
  });

  it('speaks every shipped language; the direction stays the page\'s', async () => {
    const titles = new Set<string>();
    for (const { code } of LANGUAGES) {
      const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang=${code}></direturn-chat>`);
      const root = el.shadowRoot!.querySelector('[lang]')!;
      expect(root.getAttribute('lang'), code).to.equal(code);
      expect(el.shadowRoot!.querySelector('[dir]')?.outerHTML, code).to.equal(undefined);
      expect(getComputedStyle(parts(el).launcher).direction, code).to.equal('ltr');
      const title = parts(el).launcher.textContent!.trim();
      expect(title, code).to.equal(titleText(code));
      titles.add(title);
    }
    // every language has its own launcher name (none silently fell back)
    expect(titles.size).to.equal(LANGUAGES.length);
  });

  /** Which side of the viewport launcher and panel are on. */
  function sides(el: DiReturnChat) {
    const { launcher, panel } = parts(el);
    const mid = innerWidth / 2;
    const l = launcher.getBoundingClientRect();
    const p = panel.getBoundingClientRect();
    return { launcher: l.left + l.width / 2 < mid ? 'left' : 'right', panel: p.left < innerWidth - p.right ? 'left' : 'right' };
  }

  it('keeps launcher and panel in the page\'s corner whatever language the chat speaks (issue 10.3)', async () => {
    // a German page at 1280×800: the visitor picks Arabic, then Farsi, in the chat
    await setViewport({ width: 1280, height: 800 });
    try {
      const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
      await openAndReady(el);
      expect(sides(el)).to.deep.equal({ launcher: 'right', panel: 'right' });
      for (const language of ['ar', 'fa']) {
        fromFrame(el, { type: 'language', language });
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[lang]')!.getAttribute('lang')).to.equal(language);
        expect(sides(el), language).to.deep.equal({ launcher: 'right', panel: 'right' });
      }
      // closed, as after a reload, where the lang attribute says Arabic from the start
      el.hide();
      await el.updateComplete;
      expect(sides(el).launcher).to.equal('right');
      const again = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="ar"></direturn-chat>`);
      again.show();
      await again.updateComplete;
      expect(sides(again)).to.deep.equal({ launcher: 'right', panel: 'right' });
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('follows a right-to-left page, and side="start" for the other corner', async () => {
    const inRtlPage = await fixture<HTMLElement>(html`<div dir="rtl"><direturn-chat site="abc" lang="de"></direturn-chat></div>`);
    const rtl = inRtlPage.querySelector('direturn-chat')!;
    rtl.show();
    await rtl.updateComplete;
    expect(sides(rtl)).to.deep.equal({ launcher: 'left', panel: 'left' });
    // the speech bubble's tail points to the page's reading start
    expect(getComputedStyle(parts(rtl).launcher.querySelector('svg')!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    const start = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="ar" side="start"></direturn-chat>`);
    start.show();
    await start.updateComplete;
    expect(sides(start)).to.deep.equal({ launcher: 'left', panel: 'left' });
    expect(getComputedStyle(parts(start).launcher.querySelector('svg')!).transform).to.equal('none');
  });

  it('moves focus into the panel on open', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    parts(el).launcher.focus();
    parts(el).launcher.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(parts(el).iframe);
  });

  for (const lang of ['de', 'ar', 'ru']) {
    it(`has no axe violations closed and open (${lang})`, async () => {
      const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang=${lang}></direturn-chat>`);
      await expect(el).to.be.accessible();
      await openAndReady(el);
      fromFrame(el, { type: 'unread', count: 2 });
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  }

  describe('full screen (phones, 200 % zoom)', () => {
    afterEach(async () => {
      fixtureCleanup();
      await setViewport({ width: 800, height: 600 });
    });

    /** A partner page: content before and after the widget, one element the page itself made inert. */
    async function partnerPage() {
      const page = await fixture<HTMLElement>(html`<div>
        <header><a href="#a">Start</a></header>
        <main><button id="page-button">Page</button><p id="own-inert" inert>partner's own</p>
          <direturn-chat site="abc" lang="ar"></direturn-chat>
        </main>
        <footer><a href="#f">Impressum</a></footer>
      </div>`);
      return { page, el: page.querySelector('direturn-chat')! };
    }
    const inertOf = (page: HTMLElement) => [...page.querySelectorAll<HTMLElement>('header, main > *, footer')].filter((e) => e.inert).map((e) => e.localName + (e.id ? `#${e.id}` : ''));
    // the test runner's own page around the fixture
    const runnerInert = () => [...document.body.children].filter((e) => (e as HTMLElement).inert).length;

    it('is a modal dialog at 360×740: the page behind is inert while open and given back exactly after (issue 10.5)', async () => {
      await setViewport({ width: 360, height: 740 });
      const { page, el } = await partnerPage();
      const before = runnerInert();
      expect(inertOf(page)).to.deep.equal(['p#own-inert']);
      await openAndReady(el);
      const { panel } = parts(el);
      expect(panel.getAttribute('role')).to.equal('dialog');
      expect(panel.getAttribute('aria-modal')).to.equal('true');
      expect(inertOf(page)).to.deep.equal(['header', 'button#page-button', 'p#own-inert', 'footer']);
      expect(el.inert).to.equal(false);
      expect(runnerInert()).to.be.greaterThan(before);
      await expect(el).to.be.accessible();
      el.hide();
      await el.updateComplete;
      expect(panel.hasAttribute('aria-modal')).to.equal(false);
      // the partner's own inert element stays inert
      expect(inertOf(page)).to.deep.equal(['p#own-inert']);
      expect(runnerInert()).to.equal(before);
    });

    it('becomes modal when the viewport shrinks while open (640×400, 200 % zoom) and not at 1280×800', async () => {
      await setViewport({ width: 1280, height: 800 });
      const { page, el } = await partnerPage();
      await openAndReady(el);
      expect(parts(el).panel.hasAttribute('aria-modal')).to.equal(false);
      expect(inertOf(page)).to.deep.equal(['p#own-inert']);
      await setViewport({ width: 640, height: 400 });
      await waitFor(() => parts(el).panel.getAttribute('aria-modal') === 'true');
      expect(inertOf(page)).to.deep.equal(['header', 'button#page-button', 'p#own-inert', 'footer']);
      await setViewport({ width: 1280, height: 800 });
      await waitFor(() => !parts(el).panel.hasAttribute('aria-modal'));
      expect(inertOf(page)).to.deep.equal(['p#own-inert']);
    });

    it('gives the page back when the element is removed while open', async () => {
      await setViewport({ width: 360, height: 740 });
      const { page, el } = await partnerPage();
      await openAndReady(el);
      el.remove();
      expect(inertOf(page)).to.deep.equal(['p#own-inert']);
    });
  });

  describe('theme', () => {
    it('passes radius and font family to the frame with the accent pair (issue 10.6)', async () => {
      const el = await fixture<DiReturnChat>(
        html`<direturn-chat site="abc" lang="de" style="--direturn-accent: #7a1f2b; --direturn-accent-contrast: #fff; --direturn-radius: 4px; --direturn-font-family: Georgia, serif; --direturn-surface: #000"></direturn-chat>`,
      );
      el.show();
      await el.updateComplete;
      const params = new URL(parts(el).iframe!.src).searchParams;
      expect(params.get('accent')).to.equal('#7a1f2b');
      expect(params.get('contrast')).to.equal('#fff');
      expect(params.get('radius')).to.equal('4px');
      expect(params.get('font')).to.equal('Georgia, serif');
      // tokens that are not documented for the frame do not cross
      const expected = ['accent', 'contrast', 'font', 'host', 'lang', 'page', 'radius', 'site', ...(params.has('pagelang') ? ['pagelang'] : [])];
      expect([...params.keys()].sort()).to.deep.equal(expected.sort());
    });

    it('keeps the launcher icon at 4.5:1 or more on a light accent: white on yellow gives way to black', async () => {
      const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de" style="--direturn-accent: #ffd54f; --direturn-accent-contrast: #ffffff"></direturn-chat>`);
      await el.updateComplete;
      const css = getComputedStyle(parts(el).launcher);
      expect(contrastRatio(rgb('rgb(255, 255, 255)'), rgb(css.backgroundColor))).to.be.below(1.5);
      expect(contrastRatio(rgb(css.color), rgb(css.backgroundColor))).to.be.at.least(4.5);
      expect(rgb(css.color)).to.deep.equal([0, 0, 0]);
      // a pair that passes is kept
      const ok = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de" style="--direturn-accent: #7a1f2b; --direturn-accent-contrast: #fff5e0"></direturn-chat>`);
      await ok.updateComplete;
      expect(rgb(getComputedStyle(parts(ok).launcher).color)).to.deep.equal([255, 245, 224]);
    });
  });

  it('is accessible when closed', async () => {
    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    await expect(el).to.be.accessible();
    await nextFrame();
  });
});
