/**
 * Makes web addresses in message text clickable without ever parsing the text as HTML: the text
 * is split into plain strings (rendered by Lit text bindings) and links built with Lit templates.
 * Only `http:` / `https:` addresses (and `www.` ones, opened as https) become links.
 */
import { html, type TemplateResult } from 'lit';

// A candidate starts with http(s):// or www. and runs until whitespace, a quote, angle brackets or a
// bidi control character (those could reorder what the visitor sees: a spoofing trick).
const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"`\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gi;
// Punctuation that ends a sentence rather than the address (Latin, Arabic, CJK).
const TRAILING = /[.,:;!?'’”»…،؛؟。、]+$/;

/** `url` as an absolute http(s) href, or null for anything else (javascript:, data:, garbage). */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Drops trailing punctuation and closing brackets that have no opening partner inside the address. */
function trimEnd(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    const last = url.at(-1);
    const open = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : '';
    if (open && url.split(open).length <= url.split(last!).length - 1) url = url.slice(0, -1);
    if (url === before) return url;
  }
}

export type TextPart = string | { text: string; href: string };

/** Splits `text` into plain strings and links (`text` shown as written, `href` normalised). */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const url = trimEnd(match[0]);
    const href = safeHref(/^www\./i.test(url) ? `https://${url}` : url);
    if (!href || url.length < 5) continue;
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * `text` for a Lit text position, with addresses as `<a part="link">` opening in a new tab.
 * Each link is `dir="ltr"` (an isolate): it keeps its order inside right-to-left text.
 */
export function linkify(text: string): Array<string | TemplateResult> {
  return splitLinks(text).map((p) =>
    typeof p === 'string'
      ? p
      : html`<a part="link" href=${p.href} target="_blank" rel="noopener noreferrer nofollow" dir="ltr">${p.text}</a>`,
  );
}
