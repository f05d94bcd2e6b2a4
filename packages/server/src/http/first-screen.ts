import {
  LIMITS,
  MIN_TEXT_CONTRAST,
  contrastColor,
  contrastRatio,
  matchLanguage,
  parseHexColour,
  type LanguageCode,
  type PrivacyNoticeDto,
} from '@direturn/protocol';
import { createHash } from 'node:crypto';
import type { FrameTexts } from './frame-texts.js';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * The supported languages of an `Accept-Language` header, best first. Regional and alias tags
 * count (`ar-SY` → ar, `prs-AF` → fa), as in the chat's own choice.
 */
export function browserLanguages(header: string | undefined): LanguageCode[] {
  const ranked = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { lang: matchLanguage(tag), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x): x is { lang: LanguageCode; q: number; i: number } => x.lang !== undefined && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return [...new Set(ranked.map((x) => x.lang))];
}

/**
 * The header colours of the first screen from the theme in the query: a hex accent, with the
 * theme's text colour only when the pair reaches WCAG AA, else black or white (as the chat app
 * does later). Other CSS colours need a browser to resolve: the default stays until the app runs.
 */
export function headerColours(accent: string | undefined, contrast: string | undefined): { background: string; text: string } | undefined {
  const bg = accent ? parseHexColour(accent) : undefined;
  if (!bg || !accent) return undefined;
  const fg = contrast ? parseHexColour(contrast) : undefined;
  return { background: accent, text: fg && contrast && contrastRatio(bg, fg) >= MIN_TEXT_CONTRAST ? contrast : contrastColor(bg) };
}

const STYLE =
  '<style>' +
  'html,body{margin:0;block-size:100%}' +
  '#direturn-first{display:flex;flex-direction:column;block-size:100%;color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,Arial,sans-serif;background:Canvas;color:CanvasText}' +
  '#direturn-first .head{padding-block:.6rem;padding-inline:1rem .5rem;background:var(--accent,#0b57a4);color:var(--accent-contrast,#fff)}' +
  '#direturn-first h1{margin:0;font-size:1.05rem;line-height:1.3}#direturn-first .head p{margin:0;font-size:.85rem}' +
  '#direturn-first .body{flex:1;overflow-y:auto;padding:.75rem;line-height:1.4}#direturn-first .body p{margin-block:0 .5rem}' +
  '#direturn-first h2{font-size:1rem;margin-block:.75rem .25rem}#direturn-first a{color:LinkText}' +
  '#direturn-first .composer{display:flex;flex-direction:column;gap:.25rem;padding:.5rem .75rem .75rem;border-block-start:1px solid #c9d0d6}' +
  '#direturn-first label{font-size:.85rem}' +
  '#direturn-first textarea{font:inherit;font-size:1rem;padding:.5rem;border:1px solid #6b7680;border-radius:8px;resize:none;min-block-size:2.75rem;background:Field;color:FieldText}' +
  '#direturn-first textarea:focus{outline:3px solid #1a73e8;outline-offset:1px}' +
  // empty, dir="auto" is left-to-right: the cursor starts on the screen's side until there is text
  '#direturn-first textarea:placeholder-shown{direction:inherit;unicode-bidi:isolate}' +
  '</style>';

const httpUrl = (url: string): string | undefined => {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The host focuses the frame as it opens it; this puts the cursor in the first screen's field, so a
 * keyboard user types at once (autofocus does not work in a cross-origin frame). The CSP allows
 * exactly this script by its hash; without the frame's focus (no user action) the browser ignores it.
 */
export const FIRST_SCREEN_SCRIPT = 'document.getElementById("direturn-first-text").focus()';
export const FIRST_SCREEN_SCRIPT_HASH = `'sha256-${createHash('sha256').update(FIRST_SCREEN_SCRIPT).digest('base64')}'`;

/**
 * The frame's first screen: title, connection state, the privacy notice (a visitor may write and
 * send before the chat app arrives: they must have seen it) and a composer they can type into
 * while chat.js is still on its way over a slow network; the app replaces the whole element and
 * takes over the text. Plain HTML and CSS: it works before any script has run. The notice may be
 * in another language than the screen (English fallback): its parts carry their own `lang`.
 */
export function firstScreen(
  t: ReturnType<FrameTexts['t']>,
  notice: PrivacyNoticeDto,
  colours: { background: string; text: string } | undefined,
): string {
  const head = colours ? ` style="--accent:${escapeHtml(colours.background)};--accent-contrast:${escapeHtml(colours.text)}"` : '';
  const paragraphs = notice.text
    .split(/\n\s*\n/)
    .map((p) => `<p dir="auto" lang="${notice.language}">${escapeHtml(p.trim())}</p>`)
    .join('');
  const links = notice.links.flatMap((l) => {
    const href = httpUrl(l.url);
    return href ? [`<li lang="${notice.language}"><a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer" dir="auto">${escapeHtml(l.label)}</a></li>`] : [];
  });
  return (
    // .head, not <header>: a second banner landmark beside the partner page's own.
    `<div id="direturn-first">${STYLE}<div class="head"${head}><h1>${escapeHtml(t('app.title'))}</h1>` +
    `<p role="status">${escapeHtml(t('connection.connecting'))}</p></div>` +
    `<div class="body"><p>${escapeHtml(t('app.intro'))}</p>` +
    `<section aria-labelledby="direturn-first-privacy"><h2 id="direturn-first-privacy">${escapeHtml(t('privacy.heading'))}</h2>` +
    `${paragraphs}<p>${escapeHtml(t('privacy.retention', { count: notice.retentionDays }))}</p>` +
    `${links.length ? `<ul>${links.join('')}</ul>` : ''}</section></div>` +
    `<div class="composer"><label for="direturn-first-text">${escapeHtml(t('composer.label'))}</label>` +
    `<textarea id="direturn-first-text" rows="2" maxlength="${LIMITS.messageMaxChars}" dir="auto" placeholder="${escapeHtml(t('composer.placeholder'))}"></textarea></div>` +
    `<script>${FIRST_SCREEN_SCRIPT}</script></div>`
  );
}
