import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SavedReplyDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { adminAgent, agent, conversation, json, stubFetch } from '../test/helpers.js';
import '../conversation/direturn-conversation-view.js';
import type { DireturnConversationView } from '../conversation/direturn-conversation-view.js';
import './direturn-saved-replies.js';
import type { DireturnSavedReplies } from './direturn-saved-replies.js';
import { insertIntoDraft, isReplyShortcut } from './composer.js';
import { matchesReply } from './direturn-reply-picker.js';

const reply = (id: string, shortcut: string, translations: Array<[string, string, string]>, extra: Partial<SavedReplyDto> = {}): SavedReplyDto => ({
  id,
  scope: 'shared',
  shortcut,
  translations: translations.map(([language, title, body]) => ({ language: language as SavedReplyDto['translations'][number]['language'], title, body, updatedAt: 1 })),
  example: false,
  canEdit: false,
  createdAt: 1,
  updatedAt: 1,
  ...extra,
});

const REPLIES = [
  reply('r1', 'welcome', [['de', 'Begrüßung', 'Guten Tag, ich bin {{counsellor}}.'], ['ps', 'ښه راغلاست', 'سلام، زه {{counsellor}} یم.']]),
  reply('r2', 'documents', [['en', 'Travel documents', 'You need a passport.'], ['de', 'Reisedokumente', 'Sie brauchen einen Pass.']]),
  reply('r3', 'thanks', [['de', 'Abschluss', 'Danke für Ihre Nachricht.']], { scope: 'personal', canEdit: true }),
];

function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

describe('saved replies: pure helpers', () => {
  it('inserts at the caret (replacing a selection) with a space after a word', () => {
    expect(insertIntoDraft('Hallo', 'Text', 5, 5)).to.deep.equal({ draft: 'Hallo Text', caret: 10 });
    expect(insertIntoDraft('A B', 'X', 1, 2)).to.deep.equal({ draft: 'A XB', caret: 3 });
    expect(insertIntoDraft('', 'X', 0, 0)).to.deep.equal({ draft: 'X', caret: 1 });
  });
  it('finds replies by shortcut, title or text in any language', () => {
    expect(matchesReply(REPLIES[1]!, 'pass')).to.equal(true);
    expect(matchesReply(REPLIES[0]!, 'سلام')).to.equal(true);
    expect(matchesReply(REPLIES[0]!, 'docu')).to.equal(false);
  });
  it('opens with Alt+R by key position', () => {
    expect(isReplyShortcut(new KeyboardEvent('keydown', { code: 'KeyR', key: '®', altKey: true }))).to.equal(true);
    expect(isReplyShortcut(new KeyboardEvent('keydown', { code: 'KeyR', key: 'r' }))).to.equal(false);
  });
});

describe('<direturn-reply-picker> in the composer', () => {
  before(() => initI18n('en'));

  async function composer(language: 'ps' | 'ar') {
    const calls: string[] = [];
    const stub = stubFetch((method, url) => {
      calls.push(`${method} ${url}`);
      if (url === '/api/saved-replies') return json(200, { replies: REPLIES });
      const render = /^\/api\/saved-replies\/(r\d)\/render\?conversationId=c1$/.exec(url);
      if (render) {
        const fallback = language === 'ar';
        return json(200, { rendered: { replyId: render[1], language: fallback ? 'en' : 'ps', requested: language, fallback, text: fallback ? 'You need a passport.' : 'سلام، زه Anna یم.' } });
      }
      return undefined;
    });
    const c = conversation({ id: 'c1', status: 'active', agentId: 'a1', agentName: 'Anna', language });
    const el = await fixture<DireturnConversationView>(html`<direturn-conversation-view .conversation=${c} .messages=${[]} .api=${new ApiClient({ fetch: stub.fetch })}></direturn-conversation-view>`);
    const textarea = el.shadowRoot!.querySelector('textarea')!;
    textarea.focus();
    return { el, textarea, calls };
  }

  it('Alt+R opens a combobox; arrows move aria-activedescendant, Enter inserts, focus returns to the composer', async () => {
    const { el, textarea, calls } = await composer('ps');
    await sendKeys({ type: 'Hallo' });
    await sendKeys({ press: 'Alt+KeyR' });
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-reply-picker'), 'picker not opened');
    const picker = el.shadowRoot!.querySelector('direturn-reply-picker')!;
    await waitUntil(() => picker.shadowRoot!.querySelectorAll('[role="option"]').length === 3, 'replies not listed');
    const input = picker.shadowRoot!.querySelector<HTMLInputElement>('[role="combobox"]')!;
    await waitUntil(() => deepActive() === input, 'search not focused');
    expect(input.getAttribute('aria-activedescendant')).to.equal('reply-r1');
    // The Pashto title is offered for a Pashto conversation.
    expect(picker.shadowRoot!.querySelector('#reply-r1')!.textContent).to.contain('ښه راغلاست');
    await expect(picker).to.be.accessible();
    await sendKeys({ press: 'ArrowDown' });
    await picker.updateComplete;
    expect(input.getAttribute('aria-activedescendant')).to.equal('reply-r2');
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ type: 'welc' });
    await picker.updateComplete;
    expect(picker.shadowRoot!.querySelectorAll('[role="option"]').length).to.equal(1);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !el.shadowRoot!.querySelector('direturn-reply-picker'), 'picker not closed');
    expect(calls).to.include('GET /api/saved-replies/r1/render?conversationId=c1');
    expect(textarea.value).to.equal('Hallo سلام، زه Anna یم.');
    await waitUntil(() => deepActive() === textarea, 'focus not back in the composer');
    expect(textarea.selectionStart).to.equal(textarea.value.length);
    expect(el.shadowRoot!.querySelector('[part="composer"] [role="status"]')!.textContent).to.contain('Inserted in پښتو');
  });

  it('says when the text is in another language than the conversation', async () => {
    const { el, textarea } = await composer('ar');
    await sendKeys({ press: 'Alt+KeyR' });
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-reply-picker')?.shadowRoot?.querySelectorAll('[role="option"]').length === 3);
    const picker = el.shadowRoot!.querySelector('direturn-reply-picker')!;
    // In the list already: no Arabic text, English (the first fallback) is named.
    expect(picker.shadowRoot!.querySelector('#reply-r2')!.textContent).to.contain('only in English');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => textarea.value === 'You need a passport.');
    expect(el.shadowRoot!.querySelector('[part="composer"] [role="status"]')!.textContent).to.contain('there is no العربية text');
  });

  it('Escape closes without inserting and gives focus back', async () => {
    const { el, textarea } = await composer('ps');
    await sendKeys({ press: 'Alt+KeyR' });
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-reply-picker'));
    await waitUntil(() => deepActive()?.getAttribute('role') === 'combobox');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.shadowRoot!.querySelector('direturn-reply-picker'));
    await waitUntil(() => deepActive() === textarea);
    expect(textarea.value).to.equal('');
  });
});

describe('<direturn-saved-replies> (library screen)', () => {
  before(() => initI18n('en'));

  it('lists replies, lets a counsellor edit only their own, and is axe clean', async () => {
    const stub = stubFetch((method, url) => (method === 'GET' && url === '/api/saved-replies' ? json(200, { replies: REPLIES }) : undefined));
    const el = await fixture<DireturnSavedReplies>(html`<direturn-saved-replies .api=${new ApiClient({ fetch: stub.fetch })} .me=${agent}></direturn-saved-replies>`);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('tbody tr').length === 3);
    const row = (id: string) => el.shadowRoot!.querySelector(`[data-reply="${id}"]`)!;
    expect(row('r1').querySelectorAll('button').length).to.equal(0);
    expect(row('r3').querySelectorAll('button').length).to.equal(2);
    await expect(el).to.be.accessible();
  });

  it('creates a reply with two translations (admin, shared) and sends exactly that', async () => {
    let sent: unknown;
    const stub = stubFetch((method, url, body) => {
      if (method === 'GET' && url === '/api/saved-replies') return json(200, { replies: [] });
      if (method === 'POST' && url === '/api/saved-replies') {
        sent = body;
        return json(201, { reply: reply('r9', 'x', [['de', 'T', 'B']]) });
      }
      return undefined;
    });
    const el = await fixture<DireturnSavedReplies>(html`<direturn-saved-replies .api=${new ApiClient({ fetch: stub.fetch })} .me=${adminAgent}></direturn-saved-replies>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('.actions button'));
    root.querySelector<HTMLButtonElement>('.actions button')!.click();
    await waitUntil(() => root.querySelector('form'));
    const fill = (sel: string, value: string) => {
      const f = root.querySelector<HTMLInputElement | HTMLTextAreaElement>(sel)!;
      f.value = value;
      f.dispatchEvent(new InputEvent('input'));
    };
    fill('input[maxlength="40"]', 'documents');
    fill('#title-de', 'Reisedokumente');
    fill('#body-de', 'Sie brauchen einen Pass, {{counsellor}}.');
    const add = root.querySelector<HTMLSelectElement>('#add-language')!;
    add.value = 'ps';
    add.dispatchEvent(new Event('change'));
    [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Add')!.click();
    await el.updateComplete;
    fill('#title-ps', 'د سفر اسناد');
    fill('#body-ps', 'تاسو پاسپورټ ته اړتیا لرئ.');
    await expect(el).to.be.accessible();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => sent !== undefined);
    expect(sent).to.deep.equal({
      scope: 'shared',
      shortcut: 'documents',
      translations: [
        { language: 'de', title: 'Reisedokumente', body: 'Sie brauchen einen Pass, {{counsellor}}.' },
        { language: 'ps', title: 'د سفر اسناد', body: 'تاسو پاسپورټ ته اړتیا لرئ.' },
      ],
    });
    await waitUntil(() => root.querySelector('[part="status"]')!.textContent === 'Saved.');
  });
});
