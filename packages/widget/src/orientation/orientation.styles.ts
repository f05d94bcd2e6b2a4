import { css } from 'lit';

/** Styles of the orientation check (logical properties: right-to-left as is; a print layout with the German copy). */
export const orientationStyles = css`
  :host {
    display: block;
    color: var(--_text);
    font-size: 0.95rem;
    line-height: 1.45;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.5rem;
  }
  h2:focus {
    outline: none;
  }
  h3 {
    font-size: 1rem;
    margin: 0.75rem 0 0.25rem;
  }
  p {
    margin: 0 0 0.6rem;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }
  legend {
    padding: 0;
  }
  .progress,
  .optional,
  .help,
  .version {
    color: var(--_muted);
    font-size: 0.85rem;
  }
  .options {
    display: grid;
    gap: 0.4rem;
    margin-block: 0.5rem;
  }
  .option {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  .option input {
    margin-block-start: 0.2rem;
    accent-color: var(--_accent);
  }
  select {
    inline-size: 100%;
    font: inherit;
    padding: 0.45rem;
    border: 1px solid var(--_muted);
    border-radius: 8px;
    min-block-size: 2.75rem;
    background: var(--_surface);
    color: var(--_text);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block: 0.75rem;
  }
  .actions.end {
    justify-content: flex-end;
  }
  ol,
  ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  li {
    margin-block-end: 0.5rem;
  }
  li p {
    margin: 0.1rem 0 0;
  }
  .checks {
    font-style: italic;
  }
  .example {
    padding: 0.4rem 0.6rem;
    border-inline-start: 3px solid var(--_accent);
    background: var(--_surface-alt);
  }
  .links a {
    margin-inline-end: 0.5rem;
  }
  dl {
    margin: 0.25rem 0;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0 0 0.3rem;
    margin-inline-start: 1rem;
  }
  button {
    font: inherit;
    min-block-size: 2.75rem;
    padding: 0.45rem 1rem;
    border-radius: 8px;
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-contrast);
    cursor: pointer;
  }
  button.secondary {
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_border);
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  a:focus-visible,
  summary:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  a {
    color: inherit;
  }
  .german-copy {
    display: none;
  }
  @media print {
    .actions,
    .progress {
      display: none;
    }
    details.answers > *:not(summary) {
      display: block;
    }
    .german-copy {
      display: block;
      margin-block-start: 1.5rem;
      padding-block-start: 1rem;
      border-block-start: 2px solid #000;
    }
    :host {
      color: #000;
    }
  }
`;
