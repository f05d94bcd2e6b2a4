import { expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import { linkify, safeHref, splitLinks } from './linkify.js';

async function render(text: string): Promise<HTMLElement> {
  return fixture<HTMLElement>(html`<div dir="auto">${linkify(text)}</div>`);
}

const pwned = () => (window as unknown as { __pwned?: number }).__pwned;

describe('linkify', () => {
  it('turns http(s) and www. addresses into links that open safely in a new tab', async () => {
    const el = await render('Siehe https://example.org/a?b=1#c und www.caritas.de/rueckkehr bitte');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([
      ['https://example.org/a?b=1#c', 'https://example.org/a?b=1#c'],
      ['www.caritas.de/rueckkehr', 'https://www.caritas.de/rueckkehr'],
    ]);
    for (const a of links) {
      expect(a.target).to.equal('_blank');
      expect(a.rel).to.equal('noopener noreferrer nofollow');
      expect(a.getAttribute('dir')).to.equal('ltr');
      expect(a.getAttribute('part')).to.equal('link');
    }
    expect(el.textContent).to.equal('Siehe https://example.org/a?b=1#c und www.caritas.de/rueckkehr bitte');
  });

  it('leaves javascript:, data: and other schemes as text', async () => {
    for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'ftp://example.org', 'mailto:a@b.c']) {
      const el = await render(text);
      expect(el.querySelector('a'), text).to.equal(null);
      expect(el.textContent).to.equal(text);
    }
    expect(safeHref('javascript:alert(1)')).to.equal(null);
    expect(safeHref('https://javascript:alert(1)')).to.equal(null);
    expect(safeHref(' https://example.org')).to.equal('https://example.org/');
  });

  it('never creates elements from markup in the text', async () => {
    const evil = '<img src=x onerror=alert(1)> <script>window.__pwned=1</script> <svg/onload=window.__pwned=1>';
    const el = await render(evil);
    expect(el.children).to.have.length(0);
    expect(el.textContent).to.equal(evil);
    expect(pwned()).to.equal(undefined);
  });

  it('ends an address at quotes and angle brackets: no attribute or tag can be smuggled in', async () => {
    const el = await render('https://ex.com/"><script>window.__pwned=1</script>');
    const [a, ...rest] = [...el.querySelectorAll('a')];
    expect(rest).to.have.length(0);
    expect(a!.getAttribute('href')).to.equal('https://ex.com/');
    expect([...a!.attributes].map((at) => at.name).sort()).to.deep.equal(['dir', 'href', 'part', 'rel', 'target']); // nothing injected
    expect(el.querySelector('script')).to.equal(null);
    expect(el.textContent).to.equal('https://ex.com/"><script>window.__pwned=1</script>');
    const svg = await render('https://example.org/?q=<svg/onload=window.__pwned=1>');
    expect(svg.querySelector('a')!.getAttribute('href')).to.equal('https://example.org/?q=');
    expect(svg.querySelector('svg')).to.equal(null);
    expect(pwned()).to.equal(undefined);
  });

  it('keeps trailing punctuation and unbalanced brackets out of the address', () => {
    const links = (text: string) => splitLinks(text).flatMap((p) => (typeof p === 'string' ? [] : [p.text]));
    expect(links('Go to https://example.org.')).to.deep.equal(['https://example.org']);
    expect(links('(see https://example.org/x), then')).to.deep.equal(['https://example.org/x']);
    expect(links('https://en.wikipedia.org/wiki/Kosovo_(region)!')).to.deep.equal(['https://en.wikipedia.org/wiki/Kosovo_(region)']);
    expect(links('Really? https://example.org/?a=1&b=2?!')).to.deep.equal(['https://example.org/?a=1&b=2']);
    expect(links('«https://example.org/ä»')).to.deep.equal(['https://example.org/ä']);
    expect(links("'https://example.org/'")).to.deep.equal(['https://example.org/']);
    expect(links('https:// and www. alone')).to.deep.equal([]);
    expect(links('xhttps://example.org')).to.deep.equal([]);
  });

  it('keeps right-to-left text around an address as text, the address isolated', async () => {
    const text = 'زوروا https://example.org/help، للمساعدة؟ ثم www.bamf.de.';
    const el = await render(text);
    expect([...el.querySelectorAll('a')].map((a) => a.textContent)).to.deep.equal(['https://example.org/help', 'www.bamf.de']);
    expect(el.textContent).to.equal(text);
    // Arabic glued to the address is part of its path (internationalised paths are valid)…
    expect(splitLinks('https://example.org/مرحبا')).to.deep.equal([{ text: 'https://example.org/مرحبا', href: 'https://example.org/%D9%85%D8%B1%D8%AD%D8%A8%D8%A7' }]);
    // …but bidi control characters end it: they could reorder what the link appears to say.
    expect(splitLinks('https://example.org/\u202Egnp.exe')[0]).to.deep.equal({ text: 'https://example.org/', href: 'https://example.org/' });
  });
});
