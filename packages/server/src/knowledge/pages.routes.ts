import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { isLanguageCode, LANGUAGE_CODES, type LanguageCode } from '@direturn/protocol';
import { browserLanguages, escapeHtml } from '../http/first-screen.js';
import type { FrameTexts } from '../http/frame-texts.js';
import { embedderDevices } from '../http/security.js';
import { isDomainError } from '../shared/errors.js';
import type { SiteService } from '../sites/site.service.js';
import type { SearchLimit } from './knowledge.routes.js';
import type { KnowledgeService } from './knowledge.service.js';
import { articleBody, indexBody, page, searchBody, sitemap, textsOf } from './pages.js';

/** The information pages' policy: our own scripts (the widget) and frames (its chat), nothing inline but styles. */
export const INFO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Public pages of every published translation (server-rendered, no JavaScript needed): /info/<lang>/
 * (index), /info/<lang>/<slug>, /info/<lang>/search, and /sitemap.xml with hreflang alternates.
 */
export function infoPageRoutes(deps: { knowledge: KnowledgeService; sites: SiteService; texts: FrameTexts; publicUrl: string; infoSite: string | undefined; searchLimit?: SearchLimit }) {
  const { knowledge, texts } = deps;
  const app = new Hono();
  // Public pages without secrets (no cookie, no token in them): compressed.
  app.use('/info/*', compress());
  app.use('/sitemap.xml', compress());
  app.use('/info/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', INFO_CSP);
    // The pages embed the chat: its frame (same origin) may be granted a call's devices.
    c.header('Permissions-Policy', embedderDevices(new URL(deps.publicUrl).origin));
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'public, max-age=300');
  });
  const t = (lang: LanguageCode) => textsOf(texts.t(lang));
  // The chat is offered only when the configured site exists (and allows this server's origin).
  let chatSite: string | undefined | null = null;
  const chat = async (): Promise<string | undefined> => {
    if (chatSite !== null) return chatSite;
    if (!deps.infoSite) return (chatSite = undefined);
    try {
      await deps.sites.resolveEmbed(deps.infoSite, deps.publicUrl);
      return (chatSite = deps.infoSite);
    } catch {
      return undefined; // not (yet) registered: ask again next time
    }
  };
  const notFound = async (c: Context, lang: LanguageCode) => {
    const tt = t(lang);
    return c.html(page({ lang, t: tt, title: tt('info.notFound'), body: `<h1>${escapeHtml(tt('info.notFound'))}</h1><p><a href="/info/${lang}/">${escapeHtml(tt('info.allArticles'))}</a></p>`, chatSite: await chat() }), 404);
  };
  const langOf = (c: Context): LanguageCode | undefined => {
    const l = c.req.param('lang');
    return isLanguageCode(l) ? l : undefined;
  };

  app.get('/info', (c) => {
    c.header('Vary', 'Accept-Language');
    c.header('Cache-Control', 'no-store');
    return c.redirect(`/info/${browserLanguages(c.req.header('Accept-Language'))[0] ?? 'de'}/`);
  });
  app.get('/info/:lang', (c) => c.redirect(`/info/${c.req.param('lang')}/`));
  app.get('/info/:lang/', async (c) => {
    const lang = langOf(c);
    if (!lang) return notFound(c, 'en');
    const tt = t(lang);
    const cards = await knowledge.cards(lang);
    const languages = await publishedLanguages(knowledge);
    const head = languages.map((l) => `<link rel="alternate" hreflang="${l}" href="${deps.publicUrl}/info/${l}/">`).join('');
    return c.html(page({ lang, t: tt, title: tt('info.siteTitle'), head, body: indexBody(lang, tt, cards, languages), chatSite: await chat() }));
  });
  app.get('/info/:lang/search', async (c) => {
    const lang = langOf(c);
    if (!lang) return notFound(c, 'en');
    const tt = t(lang);
    const query = (c.req.query('q') ?? '').slice(0, 200);
    const wait = (await deps.searchLimit?.(c)) ?? 0;
    if (wait > 0) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
      return c.text('Too many searches. Please wait a moment.', 429);
    }
    const { hits } = await knowledge.search(query, lang, { countMiss: true });
    c.header('Cache-Control', 'no-store');
    return c.html(page({ lang, t: tt, title: tt('info.searchResults', { query }), head: '<meta name="robots" content="noindex">', body: searchBody(lang, tt, query, hits), chatSite: await chat() }));
  });
  app.get('/info/:lang/:slug', async (c) => {
    const lang = langOf(c);
    const slug = c.req.param('slug');
    if (!lang || !/^[a-z0-9-]{1,80}$/.test(slug)) return notFound(c, lang ?? 'en');
    let article;
    try {
      article = await knowledge.read(slug, lang);
    } catch (e) {
      if (isDomainError(e) && e.code === 'not_found') return notFound(c, lang);
      throw e;
    }
    const tt = t(lang);
    const url = (l: string) => `${deps.publicUrl}/info/${l}/${slug}`;
    // A fallback page is not indexed: it points search engines at the text it shows.
    const head = article.fallback
      ? `<link rel="canonical" href="${url(article.language)}"><meta name="robots" content="noindex">`
      : `<link rel="canonical" href="${url(lang)}">` + article.languages.map((l) => `<link rel="alternate" hreflang="${l}" href="${url(l)}">`).join('');
    const site = await chat();
    return c.html(page({ lang, t: tt, title: article.title, head, body: articleBody(lang, tt, article, Boolean(site)), chatSite: site }));
  });

  app.get('/sitemap.xml', async (c) => {
    const entries = await knowledge.allPublished();
    c.header('Content-Type', 'application/xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(sitemap(deps.publicUrl, entries, [...new Set(entries.map((e) => e.language))].sort((a, b) => LANGUAGE_CODES.indexOf(a) - LANGUAGE_CODES.indexOf(b))));
  });
  app.get('/robots.txt', (c) => c.text(`User-agent: *\nAllow: /info/\nDisallow: /api/\nDisallow: /console/\nSitemap: ${deps.publicUrl}/sitemap.xml\n`));
  return app;
}

async function publishedLanguages(knowledge: KnowledgeService): Promise<LanguageCode[]> {
  const langs = new Set((await knowledge.allPublished()).map((e) => e.language));
  return LANGUAGE_CODES.filter((l) => langs.has(l));
}
