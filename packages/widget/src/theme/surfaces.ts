import { css } from 'lit';

// Apart from tokens.ts: the host script imports the tokens, and a css`` call is never tree-shaken.
/** Surface colours of the chat app, light and dark (follows the visitor's system setting). */
export const surfaces = css`
  :host {
    --_surface: var(--direturn-surface, #ffffff);
    --_surface-alt: var(--direturn-surface-alt, #f1f3f5);
    --_text: var(--direturn-text, #1b1f23);
    --_muted: var(--direturn-muted, #4f5963);
    --_border: var(--direturn-border, #c9d0d6);
    --_notice: var(--direturn-notice, #fff4d6);
    --_error: var(--direturn-error, #b3261e);
    color-scheme: light dark;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: var(--direturn-surface, #15191d);
      --_surface-alt: var(--direturn-surface-alt, #252b31);
      --_text: var(--direturn-text, #eef1f4);
      --_muted: var(--direturn-muted, #b5bec7);
      --_border: var(--direturn-border, #46505a);
      --_notice: var(--direturn-notice, #3d3217);
      --_error: var(--direturn-error, #ffb4ab);
    }
  }
`;
