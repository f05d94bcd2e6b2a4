import { compile } from 'html-to-text';

/**
 * HTML mail → plain text with html-to-text (the converter mailparser itself uses; a real HTML
 * parser, htmlparser2, not regular expressions, so broken or hostile markup cannot smuggle tags
 * through). Scripts, styles, images and hidden head content are dropped; links keep their address
 * in brackets so a counsellor sees where they point. The console shows the result as text.
 */
const convert = compile({
  wordwrap: false,
  // Far beyond any real message; bounds the work a hostile mail can cause.
  limits: { maxInputLength: 2_000_000, maxDepth: 100, ellipsis: '…' },
  selectors: [
    { selector: 'head', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'inline' },
    { selector: 'th', format: 'inline' },
  ],
});

export function htmlToText(html: string): string {
  return convert(html);
}
