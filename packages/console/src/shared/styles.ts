import { css } from 'lit';

/**
 * Design tokens. Every element maps the public `--direturn-*` custom properties to private
 * `--_*` ones with defaults on `:host`, so a page can theme the console from outside. The
 * defaults follow the system's colour scheme; every text/background pair of both palettes
 * meets WCAG AA (4.5:1) and the focus ring 3:1 against the backgrounds it sits on.
 */
export const tokens = css`
  :host {
    --_font: var(--direturn-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif);
    --_bg: var(--direturn-background, #f4f6f8);
    --_surface: var(--direturn-surface, #ffffff);
    --_surface-alt: var(--direturn-surface-alt, #eef2f5);
    --_text: var(--direturn-text, #1c2630);
    --_muted: var(--direturn-text-muted, #4f5d6b);
    --_border: var(--direturn-border, #c9d2db);
    --_accent: var(--direturn-accent, #1f5f8b);
    --_accent-text: var(--direturn-accent-text, #ffffff);
    --_accent-soft: var(--direturn-accent-soft, #e3eef6);
    --_danger: var(--direturn-danger, #a32020);
    --_danger-soft: var(--direturn-danger-soft, #fbeaea);
    --_success: var(--direturn-success, #1d6b3a);
    --_warning-soft: var(--direturn-warning-soft, #fff4d6);
    --_focus: var(--direturn-focus-ring, #1a73e8);
    --_radius: var(--direturn-radius, 8px);
    --_space: var(--direturn-space, 0.75rem);
    /* native controls and scrollbars follow the palette */
    color-scheme: light dark;
    font-family: var(--_font);
    color: var(--_text);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--direturn-background, #12171c);
      --_surface: var(--direturn-surface, #1b2228);
      --_surface-alt: var(--direturn-surface-alt, #252e36);
      --_text: var(--direturn-text, #e8edf2);
      --_muted: var(--direturn-text-muted, #aab7c4);
      --_border: var(--direturn-border, #3d4955);
      /* a light accent with dark text: buttons stay legible and secondary buttons use it as text */
      --_accent: var(--direturn-accent, #8cc4ec);
      --_accent-text: var(--direturn-accent-text, #0b1620);
      --_accent-soft: var(--direturn-accent-soft, #1f3a4f);
      --_danger: var(--direturn-danger, #ff9b91);
      --_danger-soft: var(--direturn-danger-soft, #3d1f1f);
      --_success: var(--direturn-success, #7dd89b);
      --_warning-soft: var(--direturn-warning-soft, #3b3116);
      --_focus: var(--direturn-focus-ring, #8ab4f8);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;

export const buttons = css`
  button {
    font: inherit;
    font-size: 0.9375rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-text);
    padding-block: 0.4rem;
    padding-inline: 0.9rem;
    cursor: pointer;
    min-block-size: 2.25rem;
  }
  button:hover {
    filter: brightness(1.08);
  }
  button[disabled] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button.secondary {
    background: var(--_surface);
    color: var(--_accent);
  }
  button.danger {
    background: var(--_surface);
    color: var(--_danger);
    border-color: var(--_danger);
  }
`;

/** Forms, tables and page headings of the profile and admin screens. */
export const forms = css`
  h1 {
    font-size: 1.375rem;
    margin-block: 0 var(--_space);
  }
  h2 {
    font-size: 1.125rem;
    margin-block: calc(var(--_space) * 1.5) 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin-block: var(--_space) 0.5rem;
  }
  form {
    display: grid;
    gap: var(--_space);
    max-inline-size: 40rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
  }
  label.check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 400;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    margin: 0;
  }
  legend {
    font-weight: 600;
    padding-inline: 0.25rem;
  }
  .checks {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  input,
  select,
  textarea {
    font: inherit;
    font-weight: 400;
    padding-block: 0.4rem;
    padding-inline: 0.6rem;
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }
  input[type='checkbox'] {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    padding: 0;
  }
  .hint {
    margin: 0;
    font-size: 0.875rem;
    color: var(--_muted);
    font-weight: 400;
  }
  .error {
    margin: 0;
    color: var(--_danger);
    background: var(--_danger-soft);
    border-radius: var(--_radius);
    padding: 0.5rem 0.75rem;
  }
  .success {
    margin: 0;
    color: var(--_success);
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    background: var(--_surface);
    font-size: 0.9375rem;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-block: 0.5rem;
  }
  th,
  td {
    text-align: start;
    vertical-align: top;
    padding-block: 0.4rem;
    padding-inline: 0.6rem;
    border-block-end: 1px solid var(--_border);
  }
  th {
    background: var(--_surface-alt);
  }
  code,
  .mono {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    overflow-wrap: anywhere;
  }
`;
