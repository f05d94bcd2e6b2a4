import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { KbArticleCardDto, KbPublicArticleDto } from '@direturn/protocol';
import { initI18n } from '../i18n/i18n.js';
import './info-view.js';
import type { InfoView } from './info-view.js';

const card = (slug: string, extra: Partial<KbArticleCardDto> = {}): KbArticleCardDto => ({ id: `id-${slug}`, slug, topic: 'documents', language: 'ar', fallback: false, title: `عنوان ${slug}`, summary: 'ملخص', example: true, ...extra });
const article: KbPublicArticleDto = {
  ...card('pension', { language: 'en', fallback: true, title: 'Pension contributions', topic: 'money' }),
  countries: 'all',
  sources: [{ title: 'DRV', url: 'https://www.deutsche-rentenversicherung.de/' }],
  html: '<p>Your <strong>contributions</strong> are not lost.</p>',
  lastReviewedAt: null,
  publishedAt: 1,
  languages: ['de', 'en'],
};

let realFetch: typeof fetch;
const requests: string[] = [];
beforeEach(() => {
  realFetch = window.fetch;
  requests.length = 0;
  window.fetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requests.push(url);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.startsWith('/widget/locales/')) return realFetch(url.replace('/widget/locales/', '/src/i18n/locales/'));
    if (url.startsWith('/api/info/articles?')) return json({ articles: [card('papers'), card('pension', { language: 'en', fallback: true, title: 'Pension contributions', topic: 'money' })] });
    if (url.startsWith('/api/info/search?')) return json({ total: 1, hits: [{ ...card('papers'), snippet: [{ text: 'تحتاج إلى ' }, { text: 'جواز', hit: true }, { text: ' سفر' }] }] });
    if (url.startsWith('/api/info/articles/pension?')) return json({ article });
    return realFetch(input);
  }) as typeof fetch;
});
afterEach(() => {
  window.fetch = realFetch;
});

describe('<direturn-info-view>', () => {
  it('lists topics in the visitor\'s language, marks a fallback text, searches with highlights and opens an article that says it is in English', async () => {
    await initI18n('ar');
    const el = await fixture<InfoView>(html`<direturn-info-view language="ar"></direturn-info-view>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelectorAll('h3').length === 2, 'topics not shown');
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).to.deep.equal(['الأوراق والوثائق', 'المال والتقاعد والتأمين']);
    const fallback = [...root.querySelectorAll('li button')].find((b) => b.textContent === 'Pension contributions')!;
    expect(fallback.getAttribute('lang')).to.equal('en');
    expect(fallback.getAttribute('dir')).to.equal('ltr');
    expect(requests.some((u) => u === '/api/info/articles?lang=ar')).to.equal(true);

    const input = root.querySelector<HTMLInputElement>('input[type="search"]')!;
    input.value = 'جواز';
    root.querySelector('form')!.requestSubmit();
    await waitUntil(() => root.querySelector('mark'), 'no highlighted result');
    expect(root.querySelector('mark')!.textContent).to.equal('جواز');
    expect(requests.some((u) => u.startsWith('/api/info/search?lang=ar&q=%D8%AC'))).to.equal(true);

    root.querySelector<HTMLButtonElement>('.top button')!.click(); // back to the list
    await waitUntil(() => root.querySelectorAll('h3').length === 2);
    [...root.querySelectorAll<HTMLButtonElement>('li button')].find((b) => b.textContent === 'Pension contributions')!.click();
    await waitUntil(() => root.querySelector('article'), 'no article');
    expect(root.querySelector('.note')!.textContent).to.contain('هذا النص غير متوفر بعد باللغة العربية');
    expect(root.querySelector('article')!.getAttribute('dir')).to.equal('ltr');
    expect(root.querySelector('article')!.innerHTML).to.contain('<strong>contributions</strong>'); // the server's HTML
    expect(root.activeElement?.tagName).to.equal('H2');

    let detail: unknown;
    el.addEventListener('direturn-talk-about', (e) => (detail = (e as CustomEvent).detail));
    root.querySelector<HTMLButtonElement>('[part="talk"]')!.click();
    expect(detail).to.deep.equal({ articleId: 'id-pension', language: 'ar', title: 'Pension contributions' });
  });
});
