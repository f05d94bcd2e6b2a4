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

/** The origin the way the site's settings list it; the text itself when it is no URL. */
function originOf(host: string): string {
  try {
    const { origin } = new URL(host);
    return origin === 'null' ? host : origin;
  } catch {
    return host;
  }
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The refusal texts in English, for a server without a widget build (its locales carry them otherwise). */
const REFUSAL_EN = {
  'frame.unavailableTitle': 'Chat unavailable',
  'frame.badEmbed': 'The chat was embedded incorrectly ({{detail}}).',
  'frame.notAllowed': "This site does not allow the widget on {{origin}}. The site's operator can change this in DiReturn.",
  'frame.unknownSite': "No site is registered under this key. The site's operator can change this in DiReturn.",
} as const;
type RefusalKey = keyof typeof REFUSAL_EN;

/**
 * One refusal text as HTML. The values (an origin, validation details: whatever the query held)
 * never pass through i18next: they are escaped and set into the escaped translation, each in a
 * <bdi> so Latin text keeps its order inside a right-to-left sentence.
 */
function refusalText(t: ReturnType<FrameTexts['t']>, key: RefusalKey, values: Record<string, string> = {}): string {
  const names = Object.keys(values);
  const markers = Object.fromEntries(names.map((name, i) => [name, `\u0000${i}\u0000`]));
  const text = escapeHtml(t(key, { ...markers, defaultValue: REFUSAL_EN[key] }));
  return text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => `<bdi>${escapeHtml(values[names[Number(i)]!]!)}</bdi>`);
}

function refusal(t: ReturnType<FrameTexts['t']>, lang: LanguageCode, detail: RefusalKey, values?: Record<string, string>): string {
  const title = refusalText(t, 'frame.unavailableTitle');
  return `<!doctype html><html lang="${lang}" dir="${languageDirection(lang)}"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font:14px system-ui;padding:1rem"><h1 style="font-size:1rem">${title}</h1><p>${refusalText(t, detail, values)}</p></body></html>`;
}

const browserLanguage = (c: Parameters<typeof accepts>[0], supports: string[]): LanguageCode | undefined =>
  matchLanguage(accepts(c, { header: 'Accept-Language', supports, default: '' }));

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
  return matchLanguage(q.lang) ?? matchLanguage(q.pagelang) ?? browserLanguage(c, LANGUAGES.map((l) => l.code)) ?? siteDefault;
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
    // Refusals speak the language asked for (before any site is known): lang, the browser's, English.
    const refuse = (status: 400 | 403 | 404, detail: RefusalKey, values?: Record<string, string>) => {
      const requested = matchLanguage(c.req.query('lang'));
      const available = LANGUAGES.map((l) => l.code).filter((l) => texts.has(l));
      const lang = requested && texts.has(requested) ? requested : (browserLanguage(c, available) ?? 'en');
      c.header('Vary', 'Accept-Language');
      return c.html(refusal(texts.t(lang), lang, detail, values), status);
    };
    const q = parse(FrameQuery, c.req.query());
    if (!q.ok) return refuse(400, 'frame.badEmbed', { detail: q.issues.join('; ') });
    let site;
    try {
      site = await sites.resolveEmbed(q.value.site, q.value.host);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      if (e.code === 'unknown_site') return refuse(404, 'frame.unknownSite');
      return refuse(403, 'frame.notAllowed', { origin: originOf(q.value.host) });
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
        // dark canvas when the visitor prefers it (the host's iframe passes that preference on)
        `<meta name="color-scheme" content="light dark">` +
        `<script type="module" src="/widget/chat.js"></script>` +
        // A data block, not a script: the chat reads its texts from here instead of fetching them.
        (inline ? `<script type="application/json" id="direturn-texts" data-lang="${lang}">${inline}</script>` : '') +
        `</head><body>${inline ? firstScreen(texts.t(lang), { accent: colour(q.value.accent), contrast: colour(q.value.contrast) }) : ''}</body></html>`,
    );
  });
  return app;
}
