import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, api, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';

// The knowledge base over HTTP, on the project's database: roles, derived state, publishing,
// fallback, public pages, and that unpublished text reaches no visitor by any route.

let t: TestServer;
let admin: string;
let editor: string;
let counsellor: string;
const EDITOR = { email: 'e@example.org', name: 'Edda', password: 'an editor password', role: 'editor' as const, languages: ['de' as const] };
const COUNSELLOR = { email: 'c@example.org', name: 'Cem', password: 'a counsellor password', role: 'counsellor' as const, languages: ['ar' as const] };

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t);
  await api(t, admin, 'POST', '/agents', EDITOR);
  await api(t, admin, 'POST', '/agents', COUNSELLOR);
  editor = await login(t, EDITOR.email, EDITOR.password);
  counsellor = await login(t, COUNSELLOR.email, COUNSELLOR.password);
}, 60_000);
afterAll(async () => {
  await t.stop();
});

const text = (title: string, extra: Record<string, unknown> = {}) => ({ title, summary: `${title} – summary`, body: `${title} body.\n\nMore **text**.`, ...extra });

async function newArticle(slug: string): Promise<string> {
  const r = await api(t, editor, 'POST', '/knowledge/articles', { slug, topic: 'documents', countries: ['sy', 'IQ'], sources: [{ title: 'BAMF', url: 'https://www.bamf.de/' }] });
  expect(r.status).toBe(201);
  return r.json.article.id;
}
const state = async (id: string) =>
  Object.fromEntries(((await api(t, editor, 'GET', `/knowledge/articles/${id}`)).json.article.translations as Array<{ language: string; state: string; status: string }>).map((x) => [x.language, `${x.state}/${x.status}`]));

describe('roles', () => {
  it('lets editors and admins write, counsellors only look up, and keeps editors out of conversations', async () => {
    expect((await api(t, counsellor, 'POST', '/knowledge/articles', { slug: 'x', topic: 'basics' })).status).toBe(403);
    expect((await api(t, counsellor, 'GET', '/knowledge/articles')).status).toBe(403);
    expect((await api(t, counsellor, 'GET', '/knowledge/lookup?q=abc&lang=de')).status).toBe(200);
    expect((await api(t, admin, 'GET', '/knowledge/articles')).status).toBe(200);
    expect((await api(t, undefined, 'GET', '/knowledge/articles')).status).toBe(401);
    // An editor sees no conversation, by list, by id, or over the agent socket.
    expect((await api(t, editor, 'GET', '/conversations?status=waiting')).status).toBe(403);
    await expect(agent(t, editor)).rejects.toThrow(/403/);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const bad = await api(t, editor, 'POST', '/knowledge/articles', { slug: 'Not A Slug', topic: 'nope', countries: ['Syria'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.join(' ')).toMatch(/slug/);
    const id = await newArticle('bad-input');
    const tooLong = await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, text('x'.repeat(300)));
    expect(tooLong.status).toBe(400);
    expect((await api(t, editor, 'GET', `/knowledge/articles/${id}`)).json.article.translations).toEqual([]);
    expect((await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/xx`, text('Titel'))).status).toBe(400);
    expect((await api(t, editor, 'POST', '/knowledge/articles', { slug: 'bad-input', topic: 'basics' })).status).toBe(400);
  });
});

describe('translation state, derived from versions', () => {
  it('is outdated after a major edit of the source, not after a minor one, and up to date once the translation follows', async () => {
    const id = await newArticle('state-article');
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, text('Papiere'));
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/ar`, text('الأوراق', { status: 'review' }));
    expect(await state(id)).toEqual({ de: 'up_to_date/draft', ar: 'up_to_date/review' });
    // A typo in the source: translations need no update.
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, text('Papiere.', { minor: true }));
    expect((await state(id)).ar).toBe('up_to_date/review');
    // A real change: the Arabic text is now outdated, and the editor sees what changed.
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, text('Papiere und Pass'));
    expect((await state(id)).ar).toBe('outdated/review');
    const changes = (await api(t, editor, 'GET', `/knowledge/articles/${id}/translations/ar/source-changes`)).json.changes;
    expect(changes).toMatchObject({ sourceLanguage: 'de', fromVersion: 1, toVersion: 3 });
    expect(changes.title.filter((p: { added?: boolean }) => p.added).map((p: { value: string }) => p.value).join('')).toMatch(/Pass/);
    // A minor save of the translation (a typo) does not make it up to date …
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/ar`, text('الأوراق.', { minor: true }));
    expect((await state(id)).ar).toBe('outdated/draft');
    // … a major one does.
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/ar`, text('الأوراق وجواز السفر'));
    expect((await state(id)).ar).toBe('up_to_date/draft');
    const versions = (await api(t, editor, 'GET', `/knowledge/articles/${id}/translations/ar/versions`)).json.versions;
    expect(versions.map((v: { version: number; minor: boolean; agentName: string }) => [v.version, v.minor, v.agentName])).toEqual([
      [3, false, 'Edda'],
      [2, true, 'Edda'],
      [1, false, 'Edda'],
    ]);
    // The list shows every language at a glance; a language without text is absent (missing).
    const listed = (await api(t, editor, 'GET', '/knowledge/articles')).json.articles.find((a: { id: string }) => a.id === id);
    expect(listed.translations.map((x: { language: string }) => x.language).sort()).toEqual(['ar', 'de']);
    expect(listed.title).toBe('Papiere und Pass');
  });
});

describe('what visitors see', () => {
  let id: string;
  const SECRET = 'Entwurfsgeheimnis';
  beforeAll(async () => {
    id = await newArticle('travel-papers');
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, text('Reisepapiere'));
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/en`, text('Travel papers'));
    expect((await api(t, editor, 'POST', `/knowledge/articles/${id}/translations/de/publish`)).status).toBe(200);
    expect((await api(t, editor, 'POST', `/knowledge/articles/${id}/translations/en/publish`)).status).toBe(200);
    // Arabic exists only as a draft; German gets a newer draft after publishing.
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/ar`, text(`مسودة ${SECRET}`));
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, { ...text('Reisepapiere'), body: `Neu: ${SECRET}`, status: 'review' });
  });

  it('shows the published text, and the English one (marked) where the language has none', async () => {
    const de = (await api(t, undefined, 'GET', '/info/articles/travel-papers?lang=de')).json.article;
    expect(de).toMatchObject({ language: 'de', fallback: false, title: 'Reisepapiere', languages: ['de', 'en'], countries: ['SY', 'IQ'] });
    expect(de.html).toContain('<strong>text</strong>');
    const ar = (await api(t, undefined, 'GET', '/info/articles/travel-papers?lang=ar')).json.article;
    expect(ar).toMatchObject({ language: 'en', fallback: true, title: 'Travel papers' });
    const cards = (await api(t, undefined, 'GET', '/info/articles?lang=ar')).json.articles;
    expect(cards.find((c: { slug: string }) => c.slug === 'travel-papers')).toMatchObject({ language: 'en', fallback: true });
  });

  it('never shows unpublished text: not in lists, articles, search, pages, the sitemap, lookups or message contexts', async () => {
    const bodies: string[] = [];
    const part = SECRET.slice(0, 10).toLowerCase(); // pages echo the query: ask for a part of the word
    for (const lang of ['de', 'ar', 'en']) {
      bodies.push(JSON.stringify((await api(t, undefined, 'GET', `/info/articles?lang=${lang}`)).json));
      bodies.push(JSON.stringify((await api(t, undefined, 'GET', `/info/articles/travel-papers?lang=${lang}`)).json));
      bodies.push(JSON.stringify((await api(t, undefined, 'GET', `/info/search?lang=${lang}&q=${part}`)).json));
      bodies.push(JSON.stringify((await api(t, undefined, 'GET', `/info/search?lang=${lang}&q=${encodeURIComponent('مسودة')}`)).json));
      bodies.push(JSON.stringify((await api(t, counsellor, 'GET', `/knowledge/lookup?lang=${lang}&q=${part}`)).json));
      for (const path of [`/info/${lang}/`, `/info/${lang}/travel-papers`, `/info/${lang}/search?q=${part}`]) bodies.push(await (await fetch(t.url + path)).text());
    }
    bodies.push(await (await fetch(`${t.url}/sitemap.xml`)).text());
    for (const b of bodies) {
      expect(b).not.toContain(SECRET);
      expect(b).not.toContain('مسودة');
    }
    expect(await (await fetch(`${t.url}/sitemap.xml`)).text()).not.toContain('/info/ar/travel-papers');
    // The searches found nothing and were counted; the editor sees them.
    const misses = (await api(t, editor, 'GET', '/knowledge/misses')).json.misses;
    expect(misses).toContainEqual(expect.objectContaining({ language: 'de', query: part, count: 2 })); // the API and the page
    // A visitor who asks about the article while reading Arabic gets the published English context.
    const { client } = await visitor(t, { language: 'ar' });
    client.send({ type: 'send', clientId: 'ctx-unpublished', body: 'سؤال', context: { kind: 'article', articleId: id, language: 'ar' } });
    const ack = await client.next('ack');
    expect(ack.message.context).toEqual({ kind: 'article', articleId: id, language: 'en', slug: 'travel-papers', title: 'Travel papers' });
    await client.close();
  });

  it('publishes a new version only when asked, and unpublishing takes it off everywhere', async () => {
    await api(t, editor, 'POST', `/knowledge/articles/${id}/translations/de/publish`);
    expect((await api(t, undefined, 'GET', '/info/articles/travel-papers?lang=de')).json.article.html).toContain(SECRET);
    await api(t, editor, 'POST', `/knowledge/articles/${id}/translations/de/unpublish`);
    await api(t, editor, 'POST', `/knowledge/articles/${id}/translations/en/unpublish`);
    expect((await api(t, undefined, 'GET', '/info/articles/travel-papers?lang=de')).status).toBe(404);
    expect((await fetch(`${t.url}/info/de/travel-papers`)).status).toBe(404);
    expect((await api(t, undefined, 'GET', `/info/search?lang=de&q=${SECRET}`)).json.hits).toEqual([]);
    expect(await (await fetch(`${t.url}/sitemap.xml`)).text()).not.toContain('travel-papers');
  });
});

describe('public pages', () => {
  beforeAll(async () => {
    const id = await newArticle('counselling');
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/de`, text('Rückkehrberatung'));
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/ar`, text('استشارة العودة'));
    await api(t, editor, 'PUT', `/knowledge/articles/${id}/translations/en`, text('Return counselling'));
    for (const l of ['de', 'ar', 'en']) await api(t, editor, 'POST', `/knowledge/articles/${id}/translations/${l}/publish`);
  });

  it('renders an article with lang/dir, hreflang alternates, the security headers and the chat, without needing JavaScript', async () => {
    const res = await fetch(`${t.url}/info/ar/counselling`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/);
    expect(html).toContain('<link rel="alternate" hreflang="de" href="http://localhost:');
    expect(html).toContain('hreflang="en"');
    expect(html).toContain('<h1>استشارة العودة</h1>');
    expect(html).toContain('<script type="module" src="/widget.js" data-site="demo" data-lang="ar"></script>');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('labels a fallback page in the visitor\'s language, points search engines to the original and keeps it out of the index', async () => {
    const html = await (await fetch(`${t.url}/info/fa/counselling`)).text();
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toContain('class="note"');
    expect(html).toContain('<article lang="en" dir="ltr">');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toMatch(/<link rel="canonical" href="http:\/\/localhost:\d+\/info\/en\/counselling">/);
    expect(html).toContain('href="#chat"');
  });

  it('serves an index per language, a search page and a sitemap with alternates', async () => {
    const index = await (await fetch(`${t.url}/info/de/`)).text();
    expect(index).toContain('href="/info/de/counselling"');
    expect(index).toContain('<form role="search" action="/info/de/search" method="get">');
    const search = await (await fetch(`${t.url}/info/ar/search?q=${encodeURIComponent('العوده')}`)).text();
    expect(search).toContain('<mark>');
    const sitemap = await (await fetch(`${t.url}/sitemap.xml`)).text();
    expect(sitemap).toContain('<loc>http://localhost:');
    expect(sitemap).toMatch(/<loc>[^<]+\/info\/ar\/counselling<\/loc><lastmod>\d{4}-\d\d-\d\d<\/lastmod><xhtml:link rel="alternate" hreflang="de"/);
    const redirect = await fetch(`${t.url}/info`, { redirect: 'manual', headers: { 'accept-language': 'fa-IR,fa;q=0.9' } });
    expect(redirect.headers.get('location')).toBe('/info/fa/');
    expect((await fetch(`${t.url}/info/xx/counselling`)).status).toBe(404);
    expect((await fetch(`${t.url}/info/de/no-such-article`)).status).toBe(404);
  });
});

describe('searches per client', () => {
  it('answers a client that searches too often with 429 and Retry-After, on the API and the page', async () => {
    const responses: Response[] = [];
    for (let i = 0; i < 40; i++) responses.push(await fetch(`${t.url}/api/info/search?lang=de&q=papiere${i}`));
    const statuses = responses.map((r) => r.status);
    // A burst of half a minute's allowance, then the bucket refills (earlier tests of this file searched too).
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(32);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    const limited = responses.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // The bucket refills one search a second; a burst of five pages cannot all pass however slow this machine is.
    const pages = await Promise.all(Array.from({ length: 5 }, () => fetch(`${t.url}/info/de/search?q=papiere`)));
    expect(pages.map((r) => r.status)).toContain(429);
    // Reading is not limited.
    expect((await fetch(`${t.url}/api/info/articles?lang=de`)).status).toBe(200);
  });
});

describe('a message about an article', () => {
  it('carries the article into the conversation the console shows (sealed in the database)', async () => {
    const id = (await api(t, editor, 'GET', '/knowledge/articles')).json.articles.find((a: { slug: string }) => a.slug === 'counselling').id;
    const { client } = await visitor(t, { language: 'ar' });
    client.send({ type: 'send', clientId: 'ctx-message-1', body: 'عندي سؤال عن هذا', context: { kind: 'article', articleId: id, language: 'ar' } });
    const ack = await client.next('ack');
    const expected = { kind: 'article', articleId: id, language: 'ar', slug: 'counselling', title: 'استشارة العودة' };
    expect(ack.message.context).toEqual(expected);
    const detail = await api(t, admin, 'GET', `/conversations/${ack.message.conversationId}`);
    expect(detail.json.messages[0].context).toEqual(expected);
    const row = await t.running.services.db.selectFrom('messages').select('context').where('id', '=', ack.message.id).executeTakeFirstOrThrow();
    expect(row.context).toMatch(/^enc1\./);
    expect(row.context).not.toContain('counselling');
    // An unknown article is dropped, the message still arrives.
    client.send({ type: 'send', clientId: 'ctx-message-2', body: 'noch eine Frage', context: { kind: 'article', articleId: '00000000-0000-4000-8000-000000000000', language: 'ar' } });
    expect((await client.next('ack')).message.context).toBeUndefined();
    await client.close();
  });
});
