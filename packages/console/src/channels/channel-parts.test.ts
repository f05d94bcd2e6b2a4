import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { applyDelivery, mergeMessages } from '../app/conversation-state.js';
import '../conversation/direturn-conversation-view.js';
import type { DireturnConversationView } from '../conversation/direturn-conversation-view.js';
import { conversation, json, message, stubFetch } from '../test/helpers.js';

const telegram = conversation({ channel: 'telegram', channelAccountName: 'Rückkehr-Bot', status: 'active', agentId: 'a1', agentName: 'Anna', language: 'ru', pageUrl: null, lastSeq: 4 });
const messages = [
  message({ id: 'm1', seq: 1, body: 'Здравствуйте', attachments: [{ type: 'document', size: 536392 }, { type: 'voice' }] }),
  message({ id: 'm2', seq: 2, author: 'agent', body: 'Здравствуйте! Чем помочь?', agentName: 'Anna', delivery: { status: 'sent', reason: null, updatedAt: Date.now() } }),
  message({ id: 'm3', seq: 3, author: 'agent', body: 'Вы здесь?', agentName: 'Anna', delivery: { status: 'failed', reason: 'The person has blocked the bot.', updatedAt: Date.now() } }),
  message({ id: 'm4', seq: 4, author: 'agent', body: 'Ещё раз', agentName: 'Anna', delivery: { status: 'queued', reason: 'Telegram answered 502 (Bad Gateway); trying again.', updatedAt: Date.now() } }),
];

function render(api = new ApiClient({ fetch: stubFetch(() => undefined).fetch }), canCorrect = true) {
  return fixture<DireturnConversationView>(html`<direturn-conversation-view
    .conversation=${telegram}
    .messages=${messages}
    .api=${api}
    ?can-correct-language=${canCorrect}
  ></direturn-conversation-view>`);
}

describe('channel conversations in the conversation view', () => {
  before(() => initI18n('en'));

  it('shows a badge with the channel and its account', async () => {
    const el = await render();
    const badge = el.shadowRoot!.querySelector('[part="channel-badge"]')!;
    expect(badge.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Telegram · Rückkehr-Bot');
    const widget = await fixture<DireturnConversationView>(html`<direturn-conversation-view .conversation=${conversation()} .messages=${[]}></direturn-conversation-view>`);
    expect(widget.shadowRoot!.querySelector('[part="channel-badge"]')).to.equal(null);
  });

  it('says that e-mail notices are on for a widget conversation, and nothing else about them', async () => {
    const on = await fixture<DireturnConversationView>(html`<direturn-conversation-view .conversation=${conversation({ replyNotice: true })} .messages=${[]}></direturn-conversation-view>`);
    const badge = on.shadowRoot!.querySelector('[part="reply-notice-badge"]')!;
    expect(badge.textContent!.trim()).to.equal('E-mail notice on');
    expect(badge.getAttribute('title')).to.contain('You do not see their address.');
    await expect(on).to.be.accessible();
    const off = await fixture<DireturnConversationView>(html`<direturn-conversation-view .conversation=${conversation()} .messages=${[]}></direturn-conversation-view>`);
    expect(off.shadowRoot!.querySelector('[part="reply-notice-badge"]')).to.equal(null);
  });

  it('shows the delivery of each reply: sent, failed with the reason, queued with the last failed attempt', async () => {
    const el = await render();
    const states = [...el.shadowRoot!.querySelectorAll('[part="delivery"]')].map((s) => s.textContent!.replace(/\s+/g, ' ').trim());
    expect(states).to.deep.equal(['Sent', 'Not delivered · Reason: The person has blocked the bot.', 'Queued · last attempt failed (Telegram answered 502 (Bad Gateway); trying again.), trying again']);
    expect(el.shadowRoot!.querySelector('li[data-state="failed"]')!.classList.contains('failed')).to.equal(true);
  });

  it('says which attachments arrived (type and size) and that they were not kept', async () => {
    const el = await render();
    const text = el.shadowRoot!.querySelector('[part="attachments"]')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Document (536 kB): not kept').and.to.contain('Voice message: not kept').and.to.contain('The person was told');
  });

  it('lets the counsellor correct the language', async () => {
    const stub = stubFetch((method, url, body) => (method === 'PUT' && url.endsWith('/language') ? json(200, { conversation: { ...telegram, language: (body as { language: string }).language } }) : undefined));
    const el = await render(new ApiClient({ fetch: stub.fetch }));
    expect(el.shadowRoot!.querySelector('header')!.textContent).to.contain('Русский');
    const correction = el.shadowRoot!.querySelector('direturn-language-correction')!;
    const root = correction.shadowRoot!;
    root.querySelector<HTMLButtonElement>('button')!.click();
    await waitUntil(() => root.querySelector('select'), 'no select');
    const select = root.querySelector('select')!;
    expect(select.value).to.equal('ru');
    select.value = 'uk';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[role="status"]')?.textContent?.includes('Українська'), 'not saved');
    expect(stub.calls.at(-1)).to.deep.include({ method: 'PUT', url: `/api/conversations/${telegram.id}/language`, body: { language: 'uk' } });
    await expect(el).to.be.accessible();
  });

  it('only shows the language to a counsellor who may not correct it', async () => {
    const el = await render(undefined, false);
    expect(el.shadowRoot!.querySelector('direturn-language-correction')).to.equal(null);
    expect(el.shadowRoot!.querySelector('header')!.textContent).to.contain('Русский');
  });

  it('keeps the newest delivery report when a frame overtakes the message', () => {
    const later = { status: 'read' as const, reason: null, updatedAt: Date.now() + 1000 };
    const updated = applyDelivery(messages, 'm2', later);
    expect(updated.find((m) => m.id === 'm2')!.delivery).to.deep.equal(later);
    // The message arrives again (a reload) still saying "sent": the read report stays.
    expect(mergeMessages(updated, [messages[1]!]).find((m) => m.id === 'm2')!.delivery).to.deep.equal(later);
  });

  for (const lang of ['ar', 'fa'] as const) {
    it(`is accessible in ${lang}`, async () => {
      await initI18n(lang);
      const el = await render();
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }
});
