import { css } from 'lit';

/** Styles of the resume view (logical properties: right-to-left as is). */
export const resumeStyles = css`
  :host {
    display: block;
    flex: 1;
    padding: 0.75rem;
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
    margin: 1rem 0 0.4rem;
  }
  p {
    margin: 0 0 0.6rem;
  }
  section {
    border-block-start: 1px solid var(--_border, #c4c7c5);
    padding-block-start: 0.25rem;
  }
  .code {
    font-family: ui-monospace, 'Cascadia Mono', Menlo, Consolas, monospace;
    font-size: 1.5rem;
    letter-spacing: 0.12em;
    font-weight: 700;
    margin-block: 0.25rem 0.5rem;
    user-select: all;
  }
  form {
    display: grid;
    gap: 0.5rem;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-weight: 600;
  }
  .hint {
    font-size: 0.85rem;
    color: var(--_muted, #444746);
  }
  input,
  button {
    font: inherit;
  }
  input {
    min-block-size: 2.75rem;
    padding-inline: 0.6rem;
    border: 1px solid var(--_border-strong, #747775);
    border-radius: 0.4rem;
    font-family: ui-monospace, Menlo, Consolas, monospace;
    letter-spacing: 0.08em;
    text-transform: uppercase;
  }
  button {
    min-block-size: 2.75rem;
    padding-inline: 1rem;
    border-radius: 999px;
    border: 1px solid var(--_accent, #0b57a4);
    background: var(--_accent, #0b57a4);
    color: var(--_on-accent, #fff);
    cursor: pointer;
    justify-self: start;
  }
  button.secondary {
    background: none;
    color: inherit;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  input:focus-visible,
  button:focus-visible {
    outline: 3px solid #1a73e8;
    outline-offset: 2px;
  }
  .message {
    font-weight: 600;
  }
  .actions {
    margin-block-start: 1rem;
  }
`;
