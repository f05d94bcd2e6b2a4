import { expect, fixture, html } from '@open-wc/testing';
import { applyTheme, validFontFamily, validRadius } from './theme.js';

const prop = (el: HTMLElement, name: string) => el.style.getPropertyValue(name);

describe('applyTheme (the page\'s tokens that reach the chat frame)', () => {
  it('takes a radius of 0 to 40px in px, rem or em, and nothing else', () => {
    for (const ok of ['0', '4px', '12px', '40px', '0.5rem', '2.5rem', '1.25em', ' 8px ']) expect(validRadius(ok), ok).to.equal(ok.trim());
    for (const bad of ['41px', '3rem', '-4px', '12', '50%', 'calc(1px + 2px)', 'var(--x)', '4px;color:red', '1e2px', 'url(x)', '', null]) {
      expect(validRadius(bad), String(bad)).to.equal(undefined);
    }
  });

  it('takes a list of font family names, quoted or not, in any script, and nothing that could load something', () => {
    for (const ok of [
      'Georgia, serif',
      '"Source Sans 3", system-ui, sans-serif',
      "'Noto Naskh Arabic', Tahoma",
      'Vazirmatn',
      'IBM_Plex-Sans',
    ]) {
      expect(validFontFamily(ok), ok).to.equal(ok);
    }
    for (const bad of [
      'url(https://evil.example/f.woff)',
      'var(--x)',
      'Arial; background: red',
      'Arial } body { color: red',
      '"Arial", ',
      '"unterminated',
      'a'.repeat(201),
      '@import x',
      '',
      null,
    ]) {
      expect(validFontFamily(bad), String(bad)).to.equal(undefined);
    }
  });

  it('sets the documented tokens on the frame document and drops the rest', async () => {
    const root = await fixture<HTMLElement>(html`<div></div>`);
    const set = applyTheme(new URLSearchParams({ accent: '#7a1f2b', contrast: '#ffffff', radius: '4px', font: 'Georgia, serif', surface: '#000', z: '1' }), root);
    expect(set).to.deep.equal(['accent', 'radius', 'font']);
    expect(prop(root, '--direturn-radius')).to.equal('4px');
    expect(prop(root, '--direturn-font-family')).to.equal('Georgia, serif');
    expect(prop(root, '--direturn-surface')).to.equal('');
    const other = await fixture<HTMLElement>(html`<div></div>`);
    expect(applyTheme(new URLSearchParams({ radius: '99px', font: 'url(x)' }), other)).to.deep.equal([]);
    expect(other.getAttribute('style')).to.equal(null);
  });
});
