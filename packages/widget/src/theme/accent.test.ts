import { expect, fixture, html } from '@open-wc/testing';
import { applyAccent, contrastRatio, MIN_TEXT_CONTRAST } from './accent.js';

/** Runs `fn` with console.warn recorded instead of printed. */
function recordingWarnings<T>(fn: () => T): { result: T; warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    return { result: fn(), warnings };
  } finally {
    console.warn = original;
  }
}

const prop = (el: HTMLElement, name: string) => el.style.getPropertyValue(name);

describe('applyAccent', () => {
  let root: HTMLElement;
  beforeEach(async () => {
    root = await fixture<HTMLElement>(html`<div></div>`);
  });

  it('keeps a theme pair that reaches WCAG AA, without a warning', () => {
    const { result, warnings } = recordingWarnings(() => applyAccent('#0b57a4', '#ffffff', root));
    expect(result).to.equal(true);
    expect(prop(root, '--direturn-accent')).to.equal('#0b57a4');
    expect(prop(root, '--direturn-accent-contrast')).to.equal('#ffffff');
    expect(warnings).to.deep.equal([]);
  });

  it('replaces a pair below 4.5:1 with black or white and warns with the ratio', () => {
    const ratio = contrastRatio([11, 87, 164], [26, 115, 232]);
    expect(ratio).to.be.below(MIN_TEXT_CONTRAST);
    const dark = recordingWarnings(() => applyAccent('#0b57a4', '#1a73e8', root));
    expect(dark.result).to.equal(true);
    expect(prop(root, '--direturn-accent-contrast')).to.equal('#ffffff');
    expect(dark.warnings).to.have.length(1);
    const message = String(dark.warnings[0]![0]);
    expect(message).to.contain(`${ratio.toFixed(2)}:1`);
    expect(message).to.contain('1.6');
    expect(message).to.contain('#ffffff');

    // a light accent gets black text
    const light = recordingWarnings(() => applyAccent('#ffd54f', 'white', root));
    expect(prop(root, '--direturn-accent-contrast')).to.equal('#000000');
    expect(light.warnings).to.have.length(1);
    expect(String(light.warnings[0]![0])).to.match(/has a contrast of 1\.\d\d:1/);
  });

  it('ignores an invalid accent and falls back quietly for an invalid text colour', () => {
    const { warnings } = recordingWarnings(() => {
      expect(applyAccent('not-a-colour', '#ffffff', root)).to.equal(false);
      expect(applyAccent('red;background:url(https://evil.example)', null, root)).to.equal(false);
      expect(applyAccent(`#${'0'.repeat(70)}`, null, root)).to.equal(false);
      expect(applyAccent(null, '#ffffff', root)).to.equal(false);
    });
    expect(prop(root, '--direturn-accent')).to.equal('');
    expect(prop(root, '--direturn-accent-contrast')).to.equal('');

    const bad = recordingWarnings(() => applyAccent('#0b57a4', 'url(x)', root));
    expect(bad.result).to.equal(true);
    expect(prop(root, '--direturn-accent-contrast')).to.equal('#ffffff');
    expect(bad.warnings).to.deep.equal([]);
  });
});
