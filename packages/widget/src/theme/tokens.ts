import { css } from 'lit';

/**
 * Design tokens shared by the host element and the chat app. Public tokens (`--direturn-*`) may be
 * set by the partner page (on the element or any ancestor); the private `--_*` copies hold the
 * defaults so an inherited value always wins over the default.
 */
export const tokens = css`
  :host {
    --_accent: var(--direturn-accent, #0b57a4);
    --_accent-contrast: var(--direturn-accent-contrast, #ffffff);
    --_radius: var(--direturn-radius, 12px);
    --_font-family: var(
      --direturn-font-family,
      system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', Tahoma, Arial, sans-serif
    );
    --_z-index: var(--direturn-z-index, 2147483000);
    --_panel-width: var(--direturn-panel-width, 380px);
    --_panel-height: var(--direturn-panel-height, 600px);
    --_focus-ring: 3px solid var(--direturn-focus-color, #1a73e8);
    /* on the accent the blue ring all but vanishes (1.6:1 on the default); the text colour does not */
    --_focus-ring-on-accent: 3px solid var(--_accent-contrast);
  }
`;

/** Text only screen readers read. */
export const visuallyHidden = css`
  .sr-only {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;
