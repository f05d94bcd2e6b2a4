import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OrRuleSet } from '@direturn/protocol';
import { evaluate } from '@direturn/protocol/orientation';
import { initI18n } from '../i18n/i18n.js';
import type { DiReturnOrientationSendEvent } from '../events/direturn-orientation.js';
import './orientation-view.js';
import type { OrientationView } from './orientation-view.js';

const example = (await (await fetch('/__direturn/orientation/example-rule-set.json')).json()) as OrRuleSet;
const criteria = (await (await fetch('/__direturn/orientation/criteria-cases.json')).json()) as {
  cases: { name: string; answers: Record<string, string | string[]>; includes: string[]; excludes: string[] }[];
};

/** Answers the view's two requests; records every URL it asks for. */
function server() {
  const urls: string[] = [];
  const f = async (url: string) => {
    urls.push(url);
    if (url.startsWith('/api/orientation/current')) return Response.json({ current: { version: 7, ruleSet: example, createdAt: 0, agentName: null, comment: null } });
    if (url.startsWith('/api/info/articles')) return Response.json({ articles: [{ id: 'a1', slug: 'reag-garp-travel-and-start-up-help', topic: 'programmes', language: 'ar', fallback: false, title: 'برنامج REAG/GARP', summary: '', example: true }] });
    return new Response('', { status: 404 });
  };
  return { f, urls };
}

async function render(lang: string) {
  await initI18n(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  const { f, urls } = server();
  const el = await fixture<OrientationView>(html`<direturn-orientation-view .fetcher=${f} language=${lang}></direturn-orientation-view>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelector('form'), 'questionnaire not loaded');
  const heading = () => root.querySelector('h2')!.textContent!.trim();
  const button = (label: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === label)!;
  const choose = async (value: string) => {
    const input = root.querySelector<HTMLInputElement>(`input[value="${value}"]`);
    if (input) {
      input.click();
    } else {
      const select = root.querySelector<HTMLSelectElement>('select')!;
      select.value = value;
      select.dispatchEvent(new Event('change'));
    }
    await el.updateComplete;
  };
  const next = async () => {
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await el.updateComplete;
  };
  return { el, root, urls, heading, button, choose, next };
}

describe('<direturn-orientation-view>', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
  });

  it('gives the same results in the browser as the criteria cases expect on the server (one engine)', () => {
    expect(criteria.cases.length).to.be.greaterThanOrEqual(10);
    for (const c of criteria.cases) {
      const { items } = evaluate(example, c.answers);
      for (const id of c.includes) expect(items, `${c.name}: ${id}`).to.include(id);
      for (const id of c.excludes) expect(items, `${c.name}: ${id}`).not.to.include(id);
    }
  });

  it('asks one question per step in Arabic, keeps answers going back and forward, and sends nothing before "send"', async () => {
    const { el, root, urls, heading, button, choose, next } = await render('ar');
    expect(root.querySelector('[part="progress"]')!.textContent).to.contain('1');
    expect(heading()).to.equal('إلى أي بلد تريد العودة أو الانتقال؟');
    await choose('IQ');
    await next();
    expect(root.activeElement?.tagName).to.equal('H2'); // focus follows the step
    await choose('05');
    await next();
    await choose('rejected');
    // back and forward: the answers are still there
    button('رجوع').click();
    await el.updateComplete;
    expect(root.querySelector<HTMLSelectElement>('select')!.value).to.equal('05');
    await next();
    expect(root.querySelector<HTMLInputElement>('input[value="rejected"]')!.checked).to.equal(true);
    await next();
    // skip the rest, except the travellers
    button('تخطٍّ').click(); // nationality
    await el.updateComplete;
    await choose('child_6_11');
    await next();
    while (root.querySelector('form')) {
      button('تخطٍّ').click();
      await el.updateComplete;
    }
    const result = root.querySelector('[part="result"]')!;
    expect(result.textContent).to.contain('REAG/GARP 2.0');
    expect(result.textContent).to.contain('StarthilfePlus');
    expect(result.textContent).to.contain('يتحقق مستشارك مما إذا كان هذا ينطبق عليك');
    expect(result.textContent).not.to.match(/€|EUR\b/);
    await waitUntil(() => result.querySelector('a[href="/info/ar/reag-garp-travel-and-start-up-help"]')?.textContent === 'برنامج REAG/GARP', 'article titles not shown');
    // only the questionnaire and the article list were fetched, and neither names an answer
    expect(urls).to.deep.equal(['/api/orientation/current?lang=ar', '/api/info/articles?lang=ar']);
    const requests = performance.getEntriesByType('resource').map((r) => r.name);
    for (const name of requests) expect(name).not.to.match(/IQ|rejected|child_6_11/);
    // the German copy for the counselling office is there for printing
    await waitUntil(() => root.querySelector('[part="german-copy"]'), 'no German copy');
    expect(root.querySelector('[part="german-copy"]')!.textContent).to.contain('Kopie für die Beratungsstelle');
    expect(root.querySelector('[part="german-copy"]')!.textContent).to.contain('Abgelehnt / ausreisepflichtig / Duldung');
    await expect(el).to.be.accessible();
    // send: the answers go out in the event only now
    const sent = new Promise<DiReturnOrientationSendEvent>((resolve) => el.addEventListener('direturn-orientation-send', resolve, { once: true }));
    button('أرسل إلى مستشار').click();
    const event = await sent;
    expect(event.answers).to.deep.equal({ country: 'IQ', state: '05', residence: 'rejected', travellers: ['child_6_11'] });
    expect(event.ruleSetVersion).to.equal(7);
    expect(event.body).to.equal('أجريت فحص التوجيه. هذا ملخصي.');
    // and the check starts afresh
    await el.updateComplete;
    expect(root.querySelector('[part="progress"]')).to.exist;
  });

  it('takes a postcode for the federal state, finds the state in the browser and keeps only the state', async () => {
    const { el, root, urls, choose, next } = await render('tr');
    await choose('TR');
    await next();
    const postcode = root.querySelector<HTMLInputElement>('input[name="postcode"]')!;
    const note = () => root.querySelector('#postcode-note')!.textContent!.trim();
    const type = async (value: string) => {
      postcode.value = value;
      postcode.dispatchEvent(new Event('input'));
      await el.updateComplete;
    };
    await type('8033');
    expect(root.querySelector<HTMLSelectElement>('select')!.value).to.equal('');
    await type('80331');
    expect(root.querySelector<HTMLSelectElement>('select')!.value).to.equal('09');
    expect(note()).to.contain('Bayern');
    await type('12529'); // Schönefeld: Berlin and Brandenburg
    expect(root.querySelector<HTMLSelectElement>('select')!.value).to.equal('');
    expect(note()).to.contain('Berlin / Brandenburg');
    await type('00999');
    expect(note()).to.equal('Bu posta kodunu tanımıyoruz. Lütfen listeden eyaletinizi seçin.');
    await type('10115');
    expect(root.querySelector<HTMLSelectElement>('select')!.value).to.equal('11');
    await expect(el).to.be.accessible();
    await next();
    while (root.querySelector('form')) {
      [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Atla')!.click();
      await el.updateComplete;
    }
    const sent = new Promise<DiReturnOrientationSendEvent>((resolve) => el.addEventListener('direturn-orientation-send', resolve, { once: true }));
    [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Bir danışmana gönder')!.click();
    const event = await sent;
    // The postcode went nowhere: not in the answers, not in a request.
    expect(event.answers).to.deep.equal({ country: 'TR', state: '11' });
    expect(JSON.stringify(event)).not.to.contain('10115');
    for (const url of urls) expect(url).not.to.match(/10115|80331/);
  });

  it('is accessible on a question, and closing forgets the answers', async () => {
    const { el, root, choose } = await render('de');
    await expect(el).to.be.accessible();
    await choose('SY');
    const closed = new Promise((resolve) => el.addEventListener('direturn-orientation-close', resolve, { once: true }));
    [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Check schließen')!.click();
    await closed;
    await el.updateComplete;
    expect(root.querySelector<HTMLSelectElement>('select')!.value).to.equal('');
  });
});
