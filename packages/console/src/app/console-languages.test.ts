import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { LANGUAGES, languageDirection } from '@direturn/protocol';
import { UI_LANGUAGES, initI18n } from '../i18n/i18n.js';
import { agent, conversation, deep, json, message, mountConsole, stubFetch } from '../test/helpers.js';
import './direturn-console.js';
import type { DireturnConsole } from './direturn-console.js';

const claimed = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now() });
const waiting = [
  conversation({ id: 'c2', language: 'ru', firstMessage: 'Здравствуйте, я хочу вернуться в Грузию' }),
  conversation({ id: 'c3', language: 'de', firstMessage: 'Hallo, siehe https://example.org/rueckkehr' }),
];

async function workspace() {
  const { el, root, stub, WS } = await mountConsole((_method, url) => {
    if (url === '/api/me') return json(200, { agent });
    if (url === '/api/conversations?status=waiting') return json(200, { conversations: waiting });
    if (url === '/api/conversations?status=mine') return json(200, { conversations: [claimed] });
    if (url === '/api/conversations/c1')
      return json(200, {
        conversation: claimed,
        messages: [message({ id: 'm1', seq: 1, body: 'مرحبا، أريد العودة إلى حلب. هل هذا ممكن؟' }), message({ id: 'm2', seq: 2, author: 'agent', agentName: 'Anna', body: 'Ja, schauen Sie bitte auf https://example.org/hilfe' })],
      });
    return undefined;
  });
  await waitUntil(() => deep(root, 'direturn-my-conversations', 'li'), 'lists not rendered');
  WS.instances[0]!.serverOpen();
  WS.instances[0]!.serverSend({ type: 'ready', agent });
  return { el, root };
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && k === '_meta') continue;
    if (v && typeof v === 'object') flatten(v as Record<string, unknown>, prefix ? `${prefix}.${k}` : k, out);
    else out[prefix ? `${prefix}.${k}` : k] = v;
  }
  return out;
}
const load = async (lang: string) => (await (await fetch(`/src/i18n/locales/${lang}.json`)).json()) as Record<string, unknown> & { _meta?: { status?: string } };

describe('console languages', () => {
  after(() => initI18n('en'));

  it('lists missing keys per language; reviewed locales are complete', async () => {
    const en = flatten(await load('en'));
    const lines: string[] = [];
    for (const lang of UI_LANGUAGES) {
      const res = await load(lang);
      const own = flatten(res);
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.filter((c) => c !== 'zero' || lang === 'ar');
      const expected = new Set(Object.keys(en).flatMap((k) => (PLURAL.test(k) ? categories.map((c) => k.replace(PLURAL, `_${c}`)) : [k])));
      const missing = [...expected].filter((k) => typeof own[k] !== 'string');
      const status = res._meta?.status;
      expect(['reviewed', 'needs review'], lang).to.include(status);
      lines.push(`${lang} (${status}): ${missing.length ? `${missing.length} missing: ${missing.join(', ')}` : 'complete'}`);
      if (status === 'reviewed') expect(missing, `${lang} is marked reviewed`).to.deep.equal([]);
    }
    console.log(`Console: missing translations per language (fall back to English, then German):\n  ${lines.join('\n  ')}`);
  });

  it('ships every UI language, each listed in the switch in its own name and script', async () => {
    await initI18n('en');
    const { root } = await workspace();
    const options = [...root.querySelectorAll<HTMLOptionElement>('.topbar select option')];
    expect(options.map((o) => o.value)).to.deep.equal([...UI_LANGUAGES]);
    for (const o of options) {
      const info = LANGUAGES.find((l) => l.code === o.value)!;
      expect(o.textContent!.trim(), o.value).to.equal(info.nativeName);
      expect(o.lang).to.equal(info.code);
      expect(o.dir).to.equal(info.dir);
    }
  });

  for (const lang of UI_LANGUAGES) {
    it(`renders the workspace in ${lang} with lang=${lang} dir=${languageDirection(lang)} and its own texts`, async () => {
      const texts = await load(lang);
      const dir = languageDirection(lang);
      await initI18n(lang);
      expect(document.documentElement.lang).to.equal(lang);
      expect(document.documentElement.dir).to.equal(dir);
      const { el, root } = await workspace();
      expect(getComputedStyle(el).direction).to.equal(dir);
      const select = root.querySelector<HTMLSelectElement>('.topbar select')!;
      expect(select.value).to.equal(lang);
      // the texts come from the language's own file (not from the en/de fallback)
      const app = texts.app as Record<string, string>;
      const queue = texts.queue as Record<string, string>;
      expect(root.querySelector('.lang')!.textContent).to.contain(app.language);
      expect(deep(root, 'direturn-queue', 'h2')?.textContent ?? '').to.contain(queue.title);
      // the title sits at the start edge: the right in right-to-left languages
      const brand = root.querySelector('.brand')!.getBoundingClientRect();
      const host = el.getBoundingClientRect();
      if (dir === 'rtl') expect(host.right - brand.right).to.be.lessThan(brand.left - host.left);
      else expect(brand.left - host.left).to.be.lessThan(host.right - brand.right);
    });
  }

  for (const lang of ['de', 'ar', 'ru', 'fa'] as const) {
    it(`is accessible and laid out ${languageDirection(lang) === 'rtl' ? 'right-to-left' : 'left-to-right'} in ${lang}`, async () => {
      await initI18n(lang);
      expect(document.documentElement.lang).to.equal(lang);
      expect(document.documentElement.dir).to.equal(languageDirection(lang));
      const { el, root } = await workspace();
      // the profile lists the agent's languages, each in its own name
      expect(root.querySelector('[part=profile]')!.textContent).to.contain('Deutsch').and.to.contain('English');
      (deep(root, 'direturn-my-conversations', 'li button, li a, li [role=button]') as HTMLElement | null)?.click();
      await waitUntil(() => deep(root, 'direturn-conversation-view', 'textarea'), 'conversation not opened');
      const view = root.querySelector('direturn-conversation-view')!;
      await (view as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      // every message is bidi-isolated, whatever the interface direction
      const bubbles = [...view.shadowRoot!.querySelectorAll('[dir=auto]')].map((b) => b.textContent!.trim());
      expect(bubbles.some((b) => b.startsWith('مرحبا'))).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it(`shows an accessible login form in ${lang}`, async () => {
      await initI18n(lang);
      const stub = stubFetch(() => json(401, { error: { code: 'unauthorized', message: 'no session' } }));
      const el = await fixture<DireturnConsole>(html`<direturn-console .api=${new ApiClient({ fetch: stub.fetch })}></direturn-console>`);
      await waitUntil(() => el.shadowRoot!.querySelector('direturn-login'), 'no login form');
      await expect(el).to.be.accessible();
    });
  }
});
