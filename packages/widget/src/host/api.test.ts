import { expect, fixture, html } from '@open-wc/testing';
import './direturn-chat.js';
import type { DiReturnChat } from './direturn-chat.js';
import { installHostApi, type DiReturnApi, type DiReturnQueueStub } from './api.js';

describe('window.DiReturn', () => {
  afterEach(() => {
    delete window.DiReturn;
  });

  it('replays calls queued before the script loaded, then replaces the stub', async () => {
    // the loader snippet a partner page puts before widget.js
    const stub: DiReturnQueueStub = function (...args: unknown[]) {
      (stub.q = stub.q || []).push(args);
    };
    window.DiReturn = stub;
    stub('setLanguage', 'uk');
    stub('open');

    const el = await fixture<DiReturnChat>(html`<direturn-chat site="abc" lang="de"></direturn-chat>`);
    let ready = false;
    window.addEventListener('direturn:ready', () => (ready = true), { once: true });
    const api = installHostApi();
    await el.updateComplete;

    expect(ready).to.equal(true);
    expect(window.DiReturn).to.equal(api);
    expect(el.open).to.equal(true);
    expect(el.language).to.equal('uk');
    expect(new URL(el.shadowRoot!.querySelector('iframe')!.src).searchParams.get('lang')).to.equal('uk');

    api.close();
    await el.updateComplete;
    expect(el.open).to.equal(false);
    (window.DiReturn as DiReturnApi)('open');
    await el.updateComplete;
    expect(el.open).to.equal(true);
  });

  it('waits for an element that is added later', async () => {
    const api = installHostApi();
    api('open');
    const el = document.createElement('direturn-chat');
    el.site = 'abc';
    document.body.append(el);
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    expect(el.open).to.equal(true);
    el.remove();
  });
});
