import { Hono } from 'hono';
import * as v from 'valibot';
import { languageDirection, matchLanguage } from '@direturn/protocol';
import { parse } from '@direturn/protocol/schemas';
import { isDomainError } from '../shared/errors.js';
import type { SiteService } from '../sites/site.service.js';
import { frameCsp } from './security.js';

const FrameQuery = v.object({
  site: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  host: v.pipe(v.string(), v.maxLength(256)),
  lang: v.optional(v.string()),
});

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function refusal(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font:14px system-ui;padding:1rem"><h1 style="font-size:1rem">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}

/**
 * The chat frame document. Served from DiReturn's origin so the partner page cannot read the
 * conversation, and only to pages of allowed origins (checked here and enforced by the browser
 * through frame-ancestors).
 */
export function frameRoutes(sites: SiteService) {
  const app = new Hono();
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
    const lang = matchLanguage(q.value.lang) ?? site.defaultLanguage;
    const origin = new URL(q.value.host).origin;
    c.header('Content-Security-Policy', frameCsp(origin));
    c.header('Cache-Control', 'no-store');
    return c.html(
      // data-default-lang: the chat's last language fallback (after the page's and the browser's)
      `<!doctype html><html lang="${lang}" dir="${languageDirection(lang)}" data-default-lang="${site.defaultLanguage}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width,initial-scale=1"><title>DiReturn</title>` +
        `<script type="module" src="/widget/chat.js"></script></head><body></body></html>`,
    );
  });
  return app;
}
