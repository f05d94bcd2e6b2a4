import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown.js';

/** No element or attribute that could run script in what the renderer produced. */
function assertInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<(iframe|object|embed|img|svg|style|form|input|base|meta|link)\b/i);
  // every attribute of every tag, read the way a browser reads quoted values
  for (const [, attrs = ''] of html.matchAll(/<[a-z][a-z0-9]*((?:\s+[^\s=>]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*)\s*\/?>/gi)) {
    for (const [, name = '', value = ''] of attrs.matchAll(/\s([^\s=>]+)(?:="([^"]*)"|='([^']*)'|=([^\s>]+))?/g)) {
      expect(name.toLowerCase()).toMatch(/^(href|rel|target|title|start|class)$/);
      if (name === 'href') expect(value).toMatch(/^(https?:\/\/|mailto:|tel:)/);
    }
  }
  expect(html).not.toMatch(/<[^>]*\son\w+=(?!&quot;)/i);
}

describe('Markdown rendering', () => {
  it('renders headings (from h2), lists, emphasis and links', () => {
    const html = renderMarkdown('# Title\n\n**Bold** and [BAMF](https://www.bamf.de/).\n\n- one\n- two');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<strong>Bold</strong>');
    expect(html).toContain('<a href="https://www.bamf.de/" rel="noopener noreferrer" target="_blank">BAMF</a>');
    expect(html).toContain('<li>one</li>');
  });

  it.each([
    ['script tag', '<script>alert(1)</script>'],
    ['inline script in a paragraph', 'Hello <script src="https://evil.example/x.js"></script> world'],
    ['event handler on an image', '<img src=x onerror="alert(1)">'],
    ['event handler on an element', '<p onclick="alert(1)" onmouseover=alert(2)>x</p>'],
    ['javascript: link', '[click](javascript:alert(1))'],
    ['javascript: link with entities', '[click](jav&#x09;ascript:alert(1))'],
    ['javascript: autolink', '<javascript:alert(1)>'],
    ['upper-case JAVASCRIPT:', '[x](JAVASCRIPT:alert(1))'],
    ['vbscript: and data: links', '[a](vbscript:msgbox) [b](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['markdown image with a javascript: source', '![x](javascript:alert(1))'],
    ['markdown image', '![tracker](https://evil.example/pixel.gif)'],
    ['iframe and svg', '<iframe src="https://evil.example"></iframe><svg onload=alert(1)>'],
    ['link title breaking out of the attribute', '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")'],
    ['reference-style javascript: link', '[x][1]\n\n[1]: javascript:alert(1)'],
  ])('renders a %s inert', (_name, payload) => {
    const html = renderMarkdown(payload);
    assertInert(html);
  });

  it('shows an author\'s HTML as text instead of dropping it silently', () => {
    expect(renderMarkdown('<b>x</b>')).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('keeps the words for snippets, without markup', () => {
    expect(markdownToText('## Papers\n\nTake your **passport** & the [certificate](https://x.example).\n\n- one')).toBe('Papers\nTake your passport & the certificate.\none');
  });
});
