import { expect, fixture, html } from '@open-wc/testing';
import { initI18n } from '../i18n/i18n.js';
import { conversation } from '../test/helpers.js';
import '../conversations/direturn-my-conversations.js';
import type { DireturnMyConversations } from '../conversations/direturn-my-conversations.js';
import '../queue/direturn-queue.js';
import type { DireturnQueue } from '../queue/direturn-queue.js';

/** Where a piece of text is drawn: its first character's box. */
function box(el: Element, text: string): DOMRect {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent!.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return range.getBoundingClientRect();
  }
  throw new Error(`${text} not found`);
}

const c = conversation({ id: 'c1', status: 'active', agentId: 'a1', agentName: 'Anna', language: 'ar', pageUrl: 'http://127.0.0.1:18300/demo/', siteName: 'موقع الشريك' });

for (const ui of ['en', 'ar'] as const) {
  describe(`mixed-direction text (${ui} interface)`, () => {
    before(async () => {
      await initI18n(ui);
      document.documentElement.dir = ui === 'ar' ? 'rtl' : 'ltr';
    });
    after(async () => {
      document.documentElement.dir = 'ltr';
      await initI18n('en');
    });

    it('keeps the page address left to right and the language name apart from it', async () => {
      const el = await fixture<DireturnMyConversations>(html`<direturn-my-conversations .conversations=${[c]} dir=${ui === 'ar' ? 'rtl' : 'ltr'}></direturn-my-conversations>`);
      const meta = el.shadowRoot!.querySelector('.meta')!;
      const address = meta.querySelector('[dir="ltr"]')!;
      expect(address.textContent).to.equal('127.0.0.1:18300/demo/');
      expect(meta.querySelector('[lang="ar"][dir="auto"]')!.textContent).to.equal('العربية');
      // the address reads host first, then path, in either interface
      expect(box(address, '127.0.0.1').left).to.be.below(box(address, '/demo/').left);
      // the language (first in "{{language}} · {{page}}") is on the start side of the address
      const language = box(meta, 'العربية');
      const host = box(address, '127.0.0.1');
      if (ui === 'ar') expect(language.left).to.be.above(host.left);
      else expect(language.left).to.be.below(host.left);
      // and the Arabic name never lands between host and path
      expect(language.left < box(address, '/demo/').left && language.left > host.left).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('isolates site names and addresses in the queue', async () => {
      const el = await fixture<DireturnQueue>(html`<direturn-queue .conversations=${[{ ...c, status: 'waiting' as const, agentId: null }]}></direturn-queue>`);
      const root = el.shadowRoot!;
      expect(root.querySelector('.site')!.getAttribute('dir')).to.equal('auto');
      const address = root.querySelector('.page [dir="ltr"]')!;
      expect(address.textContent).to.equal('127.0.0.1:18300/demo/');
      expect(box(address, '127.0.0.1').left).to.be.below(box(address, '/demo/').left);
      expect(root.querySelector('[lang="ar"][dir="auto"]')).to.exist;
    });
  });
}
