import { KB_TOPICS, LANGUAGES, languageDirection, type KbArticleCardDto, type KbPublicArticleDto, type KbSearchHitDto, type LanguageCode } from '@direturn/protocol';
import type { TFunction } from 'i18next';
import { escapeHtml as esc } from '../http/first-screen.js';

/** The pages' texts in English, for a server without a widget build (its locale files carry them otherwise). */
export const INFO_EN: Record<string, string> = {
  'info.siteTitle': 'Information on return',
  'info.indexIntro': 'Answers to common questions about voluntary return and return counselling. Counselling is free and confidential.',
  'info.search': 'Search',
  'info.searchLabel': 'Search the information',
  'info.searchResults': 'Results for “{{query}}”',
  'info.noResults': 'Nothing found. Try another word, or ask a counsellor.',
  'info.fallbackNotice': 'This text is not available in {{language}} yet. You are reading it in {{fallback}}.',
  'info.askInOwnLanguage': 'You can ask a counsellor in {{language}}.',
  'info.example': 'Example content: the operator of this service has not reviewed it yet.',
  'info.sources': 'Sources',
  'info.lastReviewed': 'Last reviewed: {{date}}',
  'info.published': 'Published: {{date}}',
  'info.otherLanguages': 'Other languages',
  'info.allArticles': 'All information',
  'info.chatHeading': 'Talk to a counsellor',
  'info.chatText': 'Anonymous and free: write to a return counsellor with the chat button on this page.',
  'info.chatNoScript': 'The chat needs JavaScript. Counselling offices can also be reached directly.',
  'info.notFound': 'This page does not exist.',
  'info.countriesAll': 'Applies to every country of return.',
  'info.countries': 'Applies to return to: {{countries}}',
  'topic.basics': 'Return and counselling',
  'topic.eligibility': 'Who can get support',
  'topic.programmes': 'Support programmes',
  'topic.documents': 'Papers and documents',
  'topic.health': 'Health',
  'topic.family': 'Families and children',
  'topic.money': 'Money, pension and insurance',
  'topic.before-departure': 'Before you leave',
  'topic.after-arrival': 'After arrival',
};

type T = (key: string, values?: Record<string, unknown>) => string;
export const textsOf = (t: TFunction): T => (key, values) => t(key, { ...values, defaultValue: INFO_EN[key] ?? key }) as string;

const nativeName = (l: string): string => LANGUAGES.find((x) => x.code === l)?.nativeName ?? l;

const STYLE =
  '<style>' +
  ':root{color-scheme:light dark}body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,Arial,sans-serif;background:Canvas;color:CanvasText}' +
  'header,main,footer{max-inline-size:46rem;margin-inline:auto;padding-inline:1rem}header{padding-block:1rem .25rem}' +
  'header a{color:inherit;font-weight:600;text-decoration:none}a{color:LinkText}main{padding-block-end:2rem}' +
  'h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-block:1.5rem .5rem}' +
  '.note{border-inline-start:4px solid #b35c00;background:color-mix(in srgb,#b35c00 10%,Canvas);padding:.5rem .75rem;margin-block:1rem}' +
  '.example{border-color:#6b4fa0;background:color-mix(in srgb,#6b4fa0 10%,Canvas)}' +
  '.meta{font-size:.9rem;opacity:.85}ul.cards{list-style:none;padding:0}ul.cards li{margin-block:.75rem}' +
  'ul.langs{display:flex;flex-wrap:wrap;gap:.25rem .75rem;list-style:none;padding:0}' +
  'form{display:flex;gap:.5rem;flex-wrap:wrap;margin-block:1rem}input[type=search]{flex:1;min-inline-size:12rem;font:inherit;padding:.4rem .5rem}' +
  'button{font:inherit;padding:.4rem .9rem}mark{background:#ffe28a;color:#000}' +
  'article{overflow-wrap:anywhere}article table{border-collapse:collapse}article td,article th{border:1px solid #999;padding:.25rem .5rem}' +
  '</style>';

export interface PageFrame {
  lang: LanguageCode;
  title: string;
  t: T;
  /** <link rel=alternate hreflang> and canonical tags. */
  head?: string;
  body: string;
  /** Site key whose chat the page offers. */
  chatSite: string | undefined;
}

/** One page: lang/dir on <html>, a search form, the chat's launcher (with JavaScript) and a note without it. */
export function page(p: PageFrame): string {
  const { lang, t } = p;
  const chat = p.chatSite
    ? `<section aria-labelledby="chat-h" id="chat"><h2 id="chat-h">${esc(t('info.chatHeading'))}</h2><p>${esc(t('info.chatText'))}</p>` +
      `<noscript><p>${esc(t('info.chatNoScript'))}</p></noscript></section>` +
      `<script type="module" src="/widget.js" data-site="${esc(p.chatSite)}" data-lang="${lang}"></script>`
    : '';
  return (
    `<!doctype html><html lang="${lang}" dir="${languageDirection(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(p.title)}</title>${p.head ?? ''}${STYLE}</head><body>` +
    `<header><a href="/info/${lang}/">${esc(t('info.siteTitle'))}</a></header><main>${p.body}</main>` +
    `<footer>${chat}</footer></body></html>`
  );
}

export function searchForm(lang: LanguageCode, t: T, query = ''): string {
  return (
    `<form role="search" action="/info/${lang}/search" method="get"><label for="q" class="meta" style="flex-basis:100%">${esc(t('info.searchLabel'))}</label>` +
    `<input type="search" id="q" name="q" value="${esc(query)}" maxlength="200" dir="auto"><button type="submit">${esc(t('info.search'))}</button></form>`
  );
}

const cardLink = (c: KbArticleCardDto, lang: LanguageCode): string => {
  const other = c.language !== lang ? ` lang="${c.language}" dir="${languageDirection(c.language)}"` : '';
  return `<a href="/info/${lang}/${esc(c.slug)}"${other}>${esc(c.title)}</a>`;
};

export function indexBody(lang: LanguageCode, t: T, cards: KbArticleCardDto[], languages: LanguageCode[]): string {
  const topics = KB_TOPICS.map((topic) => {
    const items = cards.filter((c) => c.topic === topic);
    if (!items.length) return '';
    return (
      `<h2>${esc(t(`topic.${topic}`))}</h2><ul class="cards">` +
      items
        .map((c) => {
          const other = c.language !== lang ? ` lang="${c.language}" dir="${languageDirection(c.language)}"` : '';
          return `<li>${cardLink(c, lang)}<div class="meta"${other}>${esc(c.summary)}</div></li>`;
        })
        .join('') +
      '</ul>'
    );
  }).join('');
  return `<h1>${esc(t('info.siteTitle'))}</h1><p>${esc(t('info.indexIntro'))}</p>${searchForm(lang, t)}${topics}${languageList(t, languages, (l) => `/info/${l}/`, lang)}`;
}

function languageList(t: T, languages: LanguageCode[], href: (l: LanguageCode) => string, current: LanguageCode): string {
  const others = languages.filter((l) => l !== current);
  if (!others.length) return '';
  return (
    `<nav aria-labelledby="langs-h"><h2 id="langs-h">${esc(t('info.otherLanguages'))}</h2><ul class="langs">` +
    others.map((l) => `<li><a href="${href(l)}" hreflang="${l}" lang="${l}" dir="${languageDirection(l)}">${esc(nativeName(l))}</a></li>`).join('') +
    '</ul></nav>'
  );
}

const date = (lang: LanguageCode, ms: number): string => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(ms);

export function articleBody(lang: LanguageCode, t: T, a: KbPublicArticleDto, chat: boolean): string {
  const textLang = a.language;
  const attrs = `lang="${textLang}" dir="${languageDirection(textLang)}"`;
  const notes: string[] = [];
  if (a.fallback) {
    notes.push(
      `<p class="note" role="note">${esc(t('info.fallbackNotice', { language: nativeName(lang), fallback: nativeName(textLang) }))}` +
        `${chat ? ` <a href="#chat">${esc(t('info.askInOwnLanguage', { language: nativeName(lang) }))}</a>` : ''}</p>`,
    );
  }
  if (a.example) notes.push(`<p class="note example" role="note">${esc(t('info.example'))}</p>`);
  const sources = a.sources.length
    ? `<h2>${esc(t('info.sources'))}</h2><ul>${a.sources.map((s) => `<li><a href="${esc(s.url)}" rel="noopener noreferrer" dir="auto">${esc(s.title)}</a></li>`).join('')}</ul>`
    : '';
  const countries = a.countries === 'all' ? t('info.countriesAll') : t('info.countries', { countries: a.countries.join(', ') });
  const reviewed = a.lastReviewedAt ? t('info.lastReviewed', { date: date(lang, a.lastReviewedAt) }) : t('info.published', { date: date(lang, a.publishedAt) });
  return (
    `${notes.join('')}<article ${attrs}><h1>${esc(a.title)}</h1><p><strong>${esc(a.summary)}</strong></p>${a.html}</article>` +
    `<p class="meta">${esc(countries)} ${esc(reviewed)}</p>${sources}` +
    `${languageList(t, a.languages, (l) => `/info/${l}/${esc(a.slug)}`, textLang === lang ? lang : textLang)}` +
    `<p><a href="/info/${lang}/">${esc(t('info.allArticles'))}</a></p>`
  );
}

export function searchBody(lang: LanguageCode, t: T, query: string, hits: KbSearchHitDto[]): string {
  const list = hits.length
    ? `<ul class="cards">${hits
        .map((h) => {
          const other = h.language !== lang ? ` lang="${h.language}" dir="${languageDirection(h.language)}"` : '';
          const snippet = h.snippet.map((p) => (p.hit ? `<mark>${esc(p.text)}</mark>` : esc(p.text))).join('');
          return `<li>${cardLink(h, lang)}<div class="meta"${other}>${snippet}</div></li>`;
        })
        .join('')}</ul>`
    : `<p>${esc(t('info.noResults'))}</p>`;
  return `<h1>${esc(t('info.searchResults', { query }))}</h1>${searchForm(lang, t, query)}${list}<p><a href="/info/${lang}/">${esc(t('info.allArticles'))}</a></p>`;
}

export function sitemap(base: string, entries: Array<{ slug: string; language: LanguageCode; publishedAt: number; languages: LanguageCode[] }>, indexLanguages: LanguageCode[]): string {
  const url = (loc: string, alternates: string, lastmod?: number) =>
    `<url><loc>${esc(loc)}</loc>${lastmod ? `<lastmod>${new Date(lastmod).toISOString().slice(0, 10)}</lastmod>` : ''}${alternates}</url>`;
  const alt = (langs: LanguageCode[], href: (l: LanguageCode) => string) =>
    langs.length > 1 ? langs.map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${esc(href(l))}"/>`).join('') : '';
  const indexes = indexLanguages.map((l) => url(`${base}/info/${l}/`, alt(indexLanguages, (x) => `${base}/info/${x}/`)));
  const articles = entries.map((e) => url(`${base}/info/${e.language}/${e.slug}`, alt(e.languages, (x) => `${base}/info/${x}/${e.slug}`), e.publishedAt));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">' +
    [...indexes, ...articles].join('') +
    '</urlset>\n'
  );
}
