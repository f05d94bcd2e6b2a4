import MarkdownIt from 'markdown-it';

/**
 * Article bodies: Markdown → safe HTML, on the server (the widget ships no Markdown parser).
 * markdown-it with `html: false` escapes every tag an author writes, so no raw HTML reaches a
 * page; links are limited to http(s), mailto and tel (markdown-it alone would allow e.g. ftp: and
 * data:image), images are off (no requests to other hosts from a visitor's browser), headings
 * start at h2 (the page's h1 is the title) and links open outside the widget.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image']);
const SAFE_URL = /^(https?:\/\/|mailto:|tel:)/i;
md.validateLink = (url: string): boolean => SAFE_URL.test(url.trim());
// linkify: bare addresses like www.example.org become links, e-mail addresses mailto: links.
md.linkify.set({ fuzzyEmail: true, fuzzyLink: true });

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer');
  token.attrSet('target', '_blank');
  return self.renderToken(tokens, idx, options);
};
md.core.ruler.push('shift_headings', (state) => {
  for (const token of state.tokens) {
    if ((token.type === 'heading_open' || token.type === 'heading_close') && /^h[1-6]$/.test(token.tag)) {
      token.tag = `h${Math.min(6, Number(token.tag[1]) + 1)}`;
    }
  }
});

export function renderMarkdown(body: string): string {
  return md.render(body);
}

/** The words of the body without markup, for snippets. */
export function markdownToText(body: string): string {
  const html = renderMarkdown(body);
  return decodeEntities(html.replace(/<\/(p|h\d|li|blockquote|pre|tr)>/g, '\n').replace(/<[^>]*>/g, ''))
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!);
}
