/**
 * The chat as a visitor meets it on a phone (360×740 CSS px), at 200 % zoom (640×400) and in the
 * default desktop panel (380 px wide): issue 10. The test page's viewport stands for the frame's
 * (the frame fills the panel, so its media queries see the panel's size).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { LanguageCode } from '@direturn/protocol';
import { initI18n } from '../i18n/i18n.js';
import type { ChatHeader } from './chat-header.js';
import type { ChatMessages } from './chat-messages.js';
import { PRIVACY, msg, setup } from './chat-app.test-util.js';
import type { ChatPrivacy } from './chat-privacy.js';

const FULL = 'block-size: 100vh';

/** n alternating messages, the visitor's first. */
function conversation(n: number, lang: string) {
  const text: Record<string, [string, string]> = {
    uk: ['Добрий день, я хочу повернутися додому до Харкова. Що мені потрібно зробити?', 'Добрий день! Розкажіть, будь ласка, які документи у вас є.'],
    fa: ['سلام، می‌خواهم به هرات برگردم. چه کاری باید انجام دهم؟', 'سلام! لطفاً بگویید چه مدارکی دارید.'],
    ar: ['مرحبا، أريد العودة إلى حلب. ماذا علي أن أفعل؟', 'مرحبا! من فضلك أخبرني ما هي الوثائق التي لديك.'],
    de: ['Guten Tag, ich möchte zurück nach Tiflis. Was muss ich tun?', 'Guten Tag! Welche Dokumente haben Sie?'],
  };
  const [visitor, agent] = text[lang] ?? text['de']!;
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0 ? msg(i + 1, { author: 'visitor', body: `${visitor} (${i + 1})`, clientId: `client-${String(i).padStart(4, '0')}`, agentName: null }) : msg(i + 1, { body: `${agent} (${i + 1})` }),
  );
}

const listOf = (el: HTMLElement) => el.shadowRoot!.querySelector<ChatMessages>('direturn-chat-messages')!;
const headerOf = (el: HTMLElement) => el.shadowRoot!.querySelector<ChatHeader>('direturn-chat-header')!;

/** How much of `child` (share of its height) is visible in the list. */
function visiblePart(list: HTMLElement, child: Element): number {
  const l = list.getBoundingClientRect();
  const c = child.getBoundingClientRect();
  return Math.max(0, Math.min(l.bottom, c.bottom) - Math.max(l.top, c.top)) / c.height;
}

async function settle(el: HTMLElement & { updateComplete: Promise<boolean> }) {
  await el.updateComplete;
  await listOf(el)?.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}

describe('the chat on a phone (issue 10)', () => {
  afterEach(async () => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
    await setViewport({ width: 800, height: 600 });
  });

  for (const lang of ['uk', 'fa'] as const) {
    it(`shows the visitor's new message after a notice appeared above the log (360×740, ${lang}) (10.1)`, async () => {
      await setViewport({ width: 360, height: 740 });
      const { el, socket, connection } = await setup(lang, { messages: conversation(8, lang), style: FULL });
      const list = listOf(el);
      await settle(el);
      const last = () => [...list.shadowRoot!.querySelectorAll('li')].at(-1)!;
      expect(visiblePart(list, last())).to.equal(1);
      // the counsellor leaves: "no counsellor online" appears above the log and takes its height
      socket.serverSend({ type: 'presence', agentsOnline: false });
      await settle(el);
      expect(el.shadowRoot!.querySelector('[part=notice]')).to.not.equal(null);
      expect(visiblePart(list, last()), 'the last message after the notice').to.equal(1);
      connection.send(lang === 'fa' ? 'هنوز کسی هست؟' : 'Чи є тут хтось?');
      await settle(el);
      expect(last().classList.contains('visitor')).to.equal(true);
      expect(visiblePart(list, last()), 'the message just sent').to.equal(1);
      // a new answer while the visitor is at the end
      socket.serverSend({ type: 'message', message: msg(20, { body: lang === 'fa' ? 'بله، من اینجا هستم.' : 'Так, я тут.' }) });
      await settle(el);
      expect(visiblePart(list, last()), 'the new answer').to.equal(1);
      await expect(el).to.be.accessible();
    });
  }

  it('leaves a visitor who scrolled up to read where they are on an answer, but shows what they send (360×740, ar)', async () => {
    await setViewport({ width: 360, height: 740 });
    const { el, socket, connection } = await setup('ar', { messages: conversation(12, 'ar'), style: FULL });
    const list = listOf(el);
    await settle(el);
    const log = list.shadowRoot!.querySelector<HTMLElement>('.log')!;
    expect(log.scrollTop).to.be.greaterThan(0);
    log.scrollTop = 0;
    await waitUntil(() => !(list as unknown as { atEnd: boolean }).atEnd, 'the scroll is noticed');
    socket.serverSend({ type: 'message', message: msg(30, { body: 'هل ما زلت هنا؟' }) });
    await settle(el);
    expect(log.scrollTop).to.equal(0);
    connection.send('نعم');
    await settle(el);
    const last = [...list.shadowRoot!.querySelectorAll('li')].at(-1)!;
    expect(visiblePart(list, last)).to.equal(1);
  });

  for (const lang of ['ar', 'fa', 'ps', 'uk'] as const) {
    it(`starts the empty message box in the interface's direction; the text decides once there is some (360×740, ${lang}) (10.2)`, async () => {
      await setViewport({ width: 360, height: 740 });
      const { el } = await setup(lang, { style: FULL });
      const composer = el.shadowRoot!.querySelector('direturn-chat-composer')!;
      await composer.updateComplete;
      const textarea = composer.shadowRoot!.querySelector('textarea')!;
      const direction = () => [textarea.matches(':dir(rtl)') ? 'rtl' : 'ltr', getComputedStyle(textarea).direction];
      const ui = lang === 'uk' ? 'ltr' : 'rtl';
      expect(direction(), 'empty').to.deep.equal([ui, ui]);
      const type = async (text: string) => {
        textarea.value = text;
        textarea.dispatchEvent(new Event('input'));
        await composer.updateComplete;
      };
      await type('Hello, https://example.org');
      expect(direction(), 'Latin text').to.deep.equal(['ltr', 'ltr']);
      await type('سلام');
      expect(direction(), 'Arabic script').to.deep.equal(['rtl', 'rtl']);
      await type('');
      expect(direction(), 'emptied').to.deep.equal([ui, ui]);
      await type('Привіт');
      textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      await composer.updateComplete;
      expect(textarea.value).to.equal('');
      expect(direction(), 'after sending').to.deep.equal([ui, ui]);
      await expect(el).to.be.accessible();
    });
  }

  describe('the header keeps title, language menu, privacy and close on one row (10.4)', () => {
    /** Rows of the header's parts, and whatever sticks out of it. */
    async function headerRow(lang: LanguageCode, state: 'connecting' | 'online' | 'offline' = 'offline') {
      // the whole chat, as in the frame: its font, no margin, lang and dir on the document
      const { fixtureCleanup } = await import('@open-wc/testing');
      fixtureCleanup();
      document.body.style.margin = '0';
      const { el } = await setup(lang, { style: FULL });
      const header = headerOf(el);
      header.state = state;
      await header.updateComplete;
      expect(document.documentElement.lang).to.equal(lang);
      const root = header.shadowRoot!;
      const bar = root.querySelector('.bar')!.getBoundingClientRect();
      const box = (sel: string) => root.querySelector(sel)!.getBoundingClientRect();
      const [title, titles, select, privacy, close] = ['h1', '.titles', 'select', '[part=privacy]', '[part=close]'].map(box) as DOMRect[];
      const controls = [select!, privacy!, close!];
      const h1 = root.querySelector('h1')!;
      // words (and the parts of a word between soft hyphens, where it may break) each on one line
      const text = [...h1.childNodes].find((n): n is Text => n.nodeType === Node.TEXT_NODE && (n as Text).data.trim() !== "")!;
      const broken: string[] = [];
      for (const m of text.data.matchAll(/[^\s\u00ad]+/g)) {
        // after a soft hyphen, from the second letter: the range's start would take in the hyphen drawn at the line's end
        const from = m.index + (text.data[m.index - 1] === '\u00ad' ? 1 : 0);
        const range = document.createRange();
        range.setStart(text, from);
        range.setEnd(text, m.index + m[0].length);
        if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(m[0]);
      }
      return {
        header,
        // the three controls share a row, and that row is the title's
        oneRow:
          controls.every((c) => Math.abs(c.top - close!.top) <= 1) &&
          controls.every((c) => c.top < titles!.bottom && c.bottom > titles!.top) &&
          close!.top < title!.bottom,
        inside: [title!, ...controls].every((r) => r.left >= bar.left - 0.5 && r.right <= bar.right + 0.5),
        titleFits: h1.scrollWidth <= h1.clientWidth && broken.length === 0,
        detail: `${lang}: ${broken.length ? `broken inside ${broken.join(', ')}; ` : ''}title ${Math.round(title!.width)}×${Math.round(title!.height)} at ${Math.round(title!.top)}, select ${Math.round(select!.width)} at ${Math.round(select!.top)}, close at ${Math.round(close!.top)}, bar ${Math.round(bar.width)}×${Math.round(bar.height)}`,
      };
    }

    for (const lang of ['de', 'en'] as const) {
      it(`in the default panel (380 px) in ${lang}`, async () => {
        await setViewport({ width: 380, height: 600 });
        for (const state of ['connecting', 'offline'] as const) {
          const row = await headerRow(lang, state);
          expect(row.oneRow, row.detail).to.equal(true);
          expect(row.inside, row.detail).to.equal(true);
          expect(row.titleFits, row.detail).to.equal(true);
        }
      });
    }

    it('down to 320 px in every language', async () => {
      await setViewport({ width: 320, height: 640 });
      const { LANGUAGE_CODES } = await import('@direturn/protocol');
      const failures: string[] = [];
      for (const lang of LANGUAGE_CODES) {
        const row = await headerRow(lang);
        if (!row.oneRow || !row.inside || !row.titleFits) failures.push(row.detail);
        if (lang === 'ka' || lang === 'uk') await expect(row.header).to.be.accessible();
      }
      expect(failures).to.deep.equal([]);
    });
  });

  it('after "delete my data", header and notice say the same and the live region holds nothing deleted (360×740, uk) (10.7)', async () => {
    await setViewport({ width: 360, height: 740 });
    const { el, socket } = await setup('uk', { messages: conversation(4, 'uk'), privacy: { ...PRIVACY, language: 'uk' }, style: FULL });
    const live = () => el.shadowRoot!.querySelector('[aria-live=polite]')!.textContent!.trim();
    const secret = 'Ваш номер справи 4711';
    socket.serverSend({ type: 'message', message: msg(10, { body: secret }) });
    await waitUntil(() => live().includes(secret), 'the answer is announced');

    headerOf(el).dispatchEvent(new Event('direturn-privacy-open'));
    await settle(el);
    const view = el.shadowRoot!.querySelector<ChatPrivacy>('.panel direturn-chat-privacy')!;
    await view.updateComplete;
    view.shadowRoot!.querySelector<HTMLButtonElement>('[part=delete]')!.click();
    await view.updateComplete;
    view.shadowRoot!.querySelector<HTMLButtonElement>('[role=alertdialog] .danger')!.click();
    socket.serverSend({ type: 'deleted' });
    socket.serverDrop(4410);
    await settle(el);
    await new Promise((r) => setTimeout(r, 50));

    const notice = el.shadowRoot!.querySelector('#deleted')!.textContent!;
    expect(notice).to.contain('почнеться нова анонімна розмова'); // "if you write again, a new anonymous conversation starts"
    const header = headerOf(el);
    await header.updateComplete;
    const state = header.shadowRoot!.querySelector('[part=state]')!.textContent!.trim();
    expect(state).to.equal('Можна почати нову розмову');
    // nothing of the deleted conversation is left to be read out
    expect(live()).to.not.contain(secret);
    expect(el.shadowRoot!.textContent + listOf(el).shadowRoot!.textContent!).to.not.contain(secret);
    await expect(el).to.be.accessible();
  });

  it('keeps most of the height for the conversation at 200 % zoom (640×400, fa) (10.8)', async () => {
    await setViewport({ width: 640, height: 400 });
    const { el } = await setup('fa', { agentsOnline: false, messages: conversation(10, 'fa'), style: FULL });
    await settle(el);
    const list = listOf(el);
    const height = (sel: string) => Math.round(el.shadowRoot!.querySelector(sel)?.getBoundingClientRect().height ?? 0);
    const parts = `header ${height('direturn-chat-header')}, notice ${height('[part=notice]')}, composer ${height('direturn-chat-composer')}, log ${height('direturn-chat-messages')}`;
    const visible = [...list.shadowRoot!.querySelectorAll('li')].filter((li) => visiblePart(list, li) === 1).length;
    expect(list.getBoundingClientRect().height / innerHeight, parts).to.be.at.least(0.6);
    expect(visible, parts).to.be.at.least(3);
    await expect(el).to.be.accessible();
  });
});
