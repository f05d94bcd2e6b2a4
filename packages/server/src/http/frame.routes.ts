import { Hono } from 'hono';
import { accepts } from 'hono/accepts';
import { compress } from 'hono/compress';
import * as v from 'valibot';
import { LANGUAGES, LIMITS, languageDirection, matchLanguage, type LanguageCode } from '@direturn/protocol';
import { parse } from '@direturn/protocol/schemas';
import { isDomainError } from '../shared/errors.js';
import type { SiteService } from '../sites/site.service.js';
import type { FrameTexts } from './frame-texts.js';
import { frameCsp } from './security.js';

const FrameQuery = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  host: v.pipe(v.string(), v.maxLength(256)),
  lang: v.optional(v.string()),
  pagelang: v.optional(v.string()),
  accent: v.optional(v.string()),
  contrast: v.optional(v.string()),
});

/** Colours the first screen may use as they are (the chat app checks the pair's contrast later). */
const SIMPLE_COLOUR = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/i;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function refusal(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font:14px system-ui;padding:1rem"><h1 style="font-size:1rem">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}

/**
 * The frame's first screen: title, connection state and a composer the visitor can type into
 * while the chat app (chat.js) is still on its way over a slow network; the app takes over the
 * text. Plain HTML and CSS: it works before any script has run.
 */
function firstScreen(t: ReturnType<FrameTexts['t']>, colours: { accent?: string; contrast?: string }): string {
  const header = [colours.accent && `--accent:${colours.accent}`, colours.contrast && `--accent-contrast:${colours.contrast}`].filter(Boolean).join(';');
  return (
    '<style>' +
    'html,body{margin:0;block-size:100%}' +
    '#direturn-first{display:flex;flex-direction:column;block-size:100%;color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,Arial,sans-serif;background:Canvas;color:CanvasText}' +
    '#direturn-first .head{padding-block:.6rem;padding-inline:1rem .5rem;background:var(--accent,#0b57a4);color:var(--accent-contrast,#fff)}' +
    '#direturn-first h1{margin:0;font-size:1.05rem;line-height:1.3}#direturn-first .head p{margin:0;font-size:.85rem}' +
    '#direturn-first .intro{flex:1;margin:0;padding:.75rem;line-height:1.4}' +
    '#direturn-first .composer{display:flex;flex-direction:column;gap:.25rem;padding:.5rem .75rem .75rem;border-block-start:1px solid #c9d0d6}' +
    '#direturn-first label{font-size:.85rem}' +
    '#direturn-first textarea{font:inherit;font-size:1rem;padding:.5rem;border:1px solid #6b7680;border-radius:8px;resize:none;min-block-size:2.75rem;background:Field;color:FieldText}' +
    '#direturn-first textarea:focus{outline:3px solid #1a73e8;outline-offset:1px}' +
    '</style>' +
    // .head, not <header>: a second banner landmark beside the partner page's own.
    `<div id="direturn-first"><div class="head"${header ? ` style="${escapeHtml(header)}"` : ''}><h1>${escapeHtml(t('app.title'))}</h1>` +
    `<p role="status">${escapeHtml(t('connection.connecting'))}</p></div>` +
    `<p class="intro">${escapeHtml(t('app.intro'))}</p>` +
    `<div class="composer"><label for="direturn-first-text">${escapeHtml(t('composer.label'))}</label>` +
    `<textarea id="direturn-first-text" rows="2" maxlength="${LIMITS.messageMaxChars}" dir="auto" placeholder="${escapeHtml(t('composer.placeholder'))}"></textarea></div></div>`
  );
}

/**
 * The language of the first screen: what the page asked for, the page's own language, the
 * browser's, the site's default. The visitor's earlier choice lives in the frame's storage, which
 * only the chat app can read: it switches if that differs.
 */
function firstLanguage(c: Parameters<typeof accepts>[0], q: { lang?: string | undefined; pagelang?: string | undefined }, siteDefault: LanguageCode): LanguageCode {
  const fromBrowser = accepts(c, { header: 'Accept-Language', supports: LANGUAGES.map((l) => l.code), default: '' });
  return matchLanguage(q.lang) ?? matchLanguage(q.pagelang) ?? matchLanguage(fromBrowser) ?? siteDefault;
}

/**
 * The chat frame document. Served from DiReturn's origin so the partner page cannot read the
 * conversation, and only to pages of allowed origins (checked here and enforced by the browser
 * through frame-ancestors).
 */
export function frameRoutes(sites: SiteService, texts: FrameTexts) {
  const app = new Hono();
  // ~5 KB with the inline texts, ~2 KB gzipped; it holds no secret, so compressing is safe (no BREACH).
  app.use('/widget/frame', compress());
  app.get('/widget/frame', async (c) => {
    const q = parse(FrameQuery, c.req.query());
    if (!q.ok) return c.html(refusal('Chat unavailable', `The chat was embedded incorrectly (${q.issues.join('; ')}).`), 400);
    let site;
    try {
      site = await sites.resolveEmbed(q.value.site, q.value.host);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      const status = e.code === 'unknown_site' ? 404 : 403;
      return c.html(refusal('Chat unavailable', `${e.message} The site's operator can change this in DiReturn.`), status);
    }
    const lang = firstLanguage(c, q.value, site.defaultLanguage);
    const origin = new URL(q.value.host).origin;
    const colour = (s: string | undefined) => (s && SIMPLE_COLOUR.test(s) ? s : undefined);
    const inline = texts.inlineJson(lang);
    c.header('Content-Security-Policy', frameCsp(origin));
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Accept-Language');
    return c.html(
      // data-default-lang: the chat's last language fallback (after the page's and the browser's)
      `<!doctype html><html lang="${lang}" dir="${languageDirection(lang)}" data-default-lang="${site.defaultLanguage}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width,initial-scale=1"><title>DiReturn</title>` +
        `<script type="module" src="/widget/chat.js"></script>` +
        // A data block, not a script: the chat reads its texts from here instead of fetching them.
        (inline ? `<script type="application/json" id="direturn-texts" data-lang="${lang}">${inline}</script>` : '') +
        `</head><body>${inline ? firstScreen(texts.t(lang), { accent: colour(q.value.accent), contrast: colour(q.value.contrast) }) : ''}</body></html>`,
    );
  });
  return app;
}
