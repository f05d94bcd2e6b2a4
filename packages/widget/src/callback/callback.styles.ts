import { css } from 'lit';

/** Styles of the callback view (logical properties: right-to-left as is; one column at 320 px). */
export const callbackStyles = css`
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
  h3 {
    font-size: 1rem;
    margin: 0 0 0.4rem;
  }
  h2:focus,
  h3:focus {
    outline: none;
  }
  p {
    margin: 0 0 0.6rem;
  }
  form {
    display: grid;
    gap: 0.6rem;
  }
  fieldset {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0.5rem 0 0;
    border: 0;
    border-block-start: 1px solid var(--_border);
    min-inline-size: 0;
  }
  legend {
    padding: 0;
    font-weight: 700;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-weight: 600;
  }
  label.check {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    font-weight: 400;
  }
  label.check input {
    margin-block-start: 0.25rem;
    inline-size: 1.25rem;
    block-size: 1.25rem;
    flex: none;
    accent-color: var(--_accent);
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
  }
  input:not([type='checkbox']),
  select,
  textarea {
    min-block-size: 2.75rem;
    padding-inline: 0.6rem;
    border: 1px solid var(--_muted);
    border-radius: 8px;
    background: var(--_surface);
    color: var(--_text);
    inline-size: 100%;
    box-sizing: border-box;
    min-inline-size: 0;
  }
  textarea {
    padding-block: 0.4rem;
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: var(--_error);
    border-width: 2px;
  }
  .hint {
    font-size: 0.85rem;
    color: var(--_muted);
    margin: 0;
  }
  .error {
    color: var(--_error);
    font-weight: 600;
    font-size: 0.9rem;
    margin: 0;
  }
  .error:empty {
    display: none;
  }
  .window {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.4rem;
    padding: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .window-label,
  .window .day,
  .window .error,
  .window .remove {
    grid-column: 1 / -1;
  }
  .window-label {
    font-weight: 700;
  }
  button {
    min-block-size: 2.75rem;
    padding-inline: 1rem;
    border-radius: 999px;
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-contrast);
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
  select:focus-visible,
  textarea:focus-visible,
  button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  section[part='status'] {
    padding: 0.6rem 0.75rem;
    border-inline-start: 4px solid var(--_accent);
    background: var(--_surface-alt);
    border-radius: 4px;
    margin-block-end: 0.75rem;
  }
  .windows {
    margin: 0 0 0.6rem;
    padding-inline-start: 1.25rem;
  }
  .message {
    font-weight: 600;
  }
  .message:empty {
    display: none;
  }
  .actions {
    margin-block-start: 1rem;
  }
`;
