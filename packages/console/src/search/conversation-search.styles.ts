import { css } from 'lit';

export const conversationSearchStyles = css`
  :host {
    display: block;
  }
  h1 {
    font-size: 1.375rem;
    margin-block: 0 var(--_space);
  }
  form {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: end;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-size: 0.875rem;
  }
  select,
  input {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.35rem 0.5rem;
  }
  ol {
    list-style: none;
    padding: 0;
    margin: var(--_space) 0 0;
    display: grid;
    gap: 0.5rem;
  }
  li button {
    inline-size: 100%;
    text-align: start;
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_border);
    display: grid;
    gap: 0.2rem;
  }
  .meta {
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  .preview {
    overflow-wrap: anywhere;
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
`;
