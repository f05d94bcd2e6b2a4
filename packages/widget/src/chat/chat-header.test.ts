import { expect, fixture, html } from '@open-wc/testing';
import { initI18n } from '../i18n/i18n.js';
import { contrastRatio } from '../theme/accent.js';
import type { ChatHeader } from './chat-header.js';
import './chat-header.js';

const rgb = (css: string): [number, number, number] => {
  const m = css.match(/rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

/** Contrast of each control's focus outline against the header it is drawn on (WCAG 1.4.11). */
async function focusContrasts(header: ChatHeader): Promise<Array<[string, number]>> {
  await header.updateComplete;
  const bar = header.shadowRoot!.querySelector('.bar')!;
  const background = rgb(getComputedStyle(bar).backgroundColor);
  return [...header.shadowRoot!.querySelectorAll<HTMLElement>('select, button')].map((control) => {
    control.focus();
    expect(control.matches(':focus-visible'), control.getAttribute('part')!).to.equal(true);
    const style = getComputedStyle(control);
    expect(style.outlineStyle).to.equal('solid');
    expect(style.outlineWidth).to.equal('3px');
    return [control.getAttribute('part')!, contrastRatio(rgb(style.outlineColor), background)];
  });
}

describe('<direturn-chat-header>', () => {
  before(async () => {
    await initI18n('de');
  });

  it('draws focus rings that stand out from the accent-coloured bar (at least 3:1)', async () => {
    const header = await fixture<ChatHeader>(html`<direturn-chat-header></direturn-chat-header>`);
    for (const [part, ratio] of await focusContrasts(header)) expect(ratio, part).to.be.at.least(3);
  });

  it('keeps them visible with a light theme accent', async () => {
    const header = await fixture<ChatHeader>(
      html`<direturn-chat-header style="--direturn-accent: #ffd54f; --direturn-accent-contrast: #1b1f23"></direturn-chat-header>`,
    );
    for (const [part, ratio] of await focusContrasts(header)) expect(ratio, part).to.be.at.least(3);
  });
});
