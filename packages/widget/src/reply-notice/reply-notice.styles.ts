import { css } from 'lit';

/** Styles of the reply-notice view (logical properties: right-to-left as is; one column at 320 px). */
export const replyNoticeStyles = css`
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
  h2:focus,
  h3:focus {
    outline: none;
  }
  h3 {
    font-size: 1rem;
    margin: 0 0 0.4rem;
  }
  p,
  ul {
    margin: 0 0 0.6rem;
  }
  ul {
    padding-inline-start: 1.25rem;
  }
  form {
    display: grid;
    gap: 0.6rem;
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
  button {
    font: inherit;
  }
  input[type='email'] {
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
  .error:empty,
  .message:empty {
    display: none;
  }
  .message {
    font-weight: 600;
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
  button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  section[part='state'] {
    padding: 0.6rem 0.75rem;
    border-inline-start: 4px solid var(--_accent);
    background: var(--_surface-alt);
    border-radius: 4px;
    margin-block-end: 0.75rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 1rem;
  }
`;
