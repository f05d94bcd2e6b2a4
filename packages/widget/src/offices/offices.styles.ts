import { css } from 'lit';

/** Styles of the office search and the referral consent (logical properties: right-to-left as is). */
export const officeStyles = css`
  :host {
    display: block;
    color: var(--_text);
    font-size: 0.95rem;
    line-height: 1.45;
  }
  :host(:focus) {
    outline: none;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0;
  }
  p {
    margin: 0 0 0.6rem;
  }
  form {
    display: grid;
    gap: 0.6rem;
    margin-block-end: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-weight: 600;
  }
  input,
  select,
  button,
  textarea {
    font: inherit;
  }
  input,
  select {
    padding: 0.5rem 0.6rem;
    border: 1px solid var(--_muted);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    min-block-size: 2.75rem;
    box-sizing: border-box;
  }
  button {
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
  .offices,
  .places {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.6rem;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.7rem 0.8rem;
    background: var(--_surface);
  }
  .card dl {
    margin: 0.4rem 0 0;
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.15rem 0.6rem;
  }
  .card dt {
    color: var(--_muted);
  }
  .card dd {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }
  .meta {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .badge {
    display: inline-block;
    margin-block-start: 0.25rem;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    background: var(--_notice);
    font-size: 0.8rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.6rem;
  }
  .actions a {
    display: inline-flex;
    align-items: center;
    min-block-size: 2.75rem;
    padding-inline: 0.8rem;
    border: 1px solid var(--_border);
    border-radius: 8px;
    text-decoration: none;
  }
  .credit {
    margin-block-start: 1rem;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .message {
    padding: 0.6rem 0.75rem;
    border-radius: 8px;
    background: var(--_surface-alt);
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: 8px;
    margin: 0;
    padding: 0.5rem 0.75rem;
  }
  legend {
    font-weight: 600;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 400;
  }
  .check input {
    min-block-size: auto;
    inline-size: 1.2rem;
    block-size: 1.2rem;
  }
`;
