import { Hono } from 'hono';
import { compress } from 'hono/compress';
import * as v from 'valibot';
import { languageDirection, matchLanguage, type LanguageCode } from '@direturn/protocol';
import { parse } from '@direturn/protocol/schemas';
import { isDomainError } from '../shared/errors.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { SiteService } from '../sites/site.service.js';
import type { FrameTexts } from './frame-texts.js';
import { FIRST_SCREEN_SCRIPT_HASH, browserLanguages, escapeHtml, firstScreen, headerColours } from './first-screen.js';
import { CALL_DEVICES, frameCsp } from './security.js';

const FrameQuery = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  host: v.pipe(v.string(), v.maxLength(256)),
  lang: v.optional(v.string()),
  pagelang: v.optional(v.string()),
  accent: v.optional(v.string()),
  contrast: v.optional(v.string()),
});

/** The origin the way the site's settings list it; the text itself when it is no URL. */
function originOf(host: string): string {
  try {
    const { origin } = new URL(host);
    return origin === 'null' ? host : origin;
  } catch {
    return host;
  }
}

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

/**
 * The language of the first screen: what the page asked for, the page's own language, the
 * browser's, the site's default. The visitor's earlier choice lives in the frame's storage, which
 * only the chat app can read: it switches if that differs.
 */
function firstLanguage(acceptLanguage: string | undefined, q: { lang?: string | undefined; pagelang?: string | undefined }, siteDefault: LanguageCode): LanguageCode {
  return matchLanguage(q.lang) ?? matchLanguage(q.pagelang) ?? browserLanguages(acceptLanguage)[0] ?? siteDefault;
}

/**
 * The chat frame document. Served from DiReturn's origin so the partner page cannot read the
 * conversation, and only to pages of allowed origins (checked here and enforced by the browser
 * through frame-ancestors).
 */
export function frameRoutes(sites: SiteService, settings: SettingsService, texts: FrameTexts) {
  const app = new Hono();
  // ~5 KB with the inline texts, ~2 KB gzipped; it holds no secret, so compressing is safe (no BREACH).
  app.use('/widget/frame', compress());
  app.get('/widget/frame', async (c) => {
    // Refusals speak the language asked for (before any site is known): lang, the browser's, English.
    const refuse = (status: 400 | 403 | 404, detail: RefusalKey, values?: Record<string, string>) => {
      const requested = matchLanguage(c.req.query('lang'));
      const lang = [requested, ...browserLanguages(c.req.header('Accept-Language'))].find((l) => l && texts.has(l)) ?? 'en';
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
    const lang = firstLanguage(c.req.header('Accept-Language'), q.value, site.defaultLanguage);
    const origin = new URL(q.value.host).origin;
    const inline = texts.inlineJson(lang);
    c.header('Content-Security-Policy', frameCsp(origin, inline ? [FIRST_SCREEN_SCRIPT_HASH] : []));
    c.header('Permissions-Policy', CALL_DEVICES);
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Accept-Language');
    return c.html(
      // data-default-lang: the chat's last language fallback (after the page's and the browser's)
      `<!doctype html><html lang="${lang}" dir="${languageDirection(lang)}" data-default-lang="${site.defaultLanguage}" data-start-view="${site.startView}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width,initial-scale=1"><title>DiReturn</title>` +
        // dark canvas when the visitor prefers it (the host's iframe passes that preference on)
        `<meta name="color-scheme" content="light dark">` +
        `<script type="module" src="/widget/chat.js"></script>` +
        // A data block, not a script: the chat reads its texts from here instead of fetching them.
        (inline ? `<script type="application/json" id="direturn-texts" data-lang="${lang}">${inline}</script>` : '') +
        `</head><body>${inline ? firstScreen(texts.t(lang), settings.privacyNotice(site.id, lang), headerColours(q.value.accent, q.value.contrast)) : ''}</body></html>`,
    );
  });
  return app;
}
