import { css } from 'lit';

/** The picker beside the composer (logical properties: right-to-left as is). */
export const pickerStyles = css`
  :host {
    display: block;
    /* a row of its own in the composer's grid */
    grid-column: 1 / -1;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 0.5rem;
    margin-block: 0.5rem;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  input {
    flex: 1;
  }
  ul {
    list-style: none;
    margin: 0.4rem 0 0;
    padding: 0;
    max-block-size: 16rem;
    overflow-y: auto;
  }
  li {
    padding: 0.35rem 0.5rem;
    border-radius: calc(var(--_radius) / 2);
    cursor: pointer;
    display: grid;
    gap: 0.1rem;
  }
  li[aria-selected='true'] {
    background: var(--_accent-soft);
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .meta,
  .hint {
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .preview {
    font-size: 0.85rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;

/** The library screen. */
export const libraryStyles = css`
  :host {
    display: block;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.9rem;
  }
  th,
  td {
    border-block-end: 1px solid var(--_border);
    padding: 0.35rem 0.5rem;
    text-align: start;
    vertical-align: top;
  }
  .badge {
    display: inline-block;
    font-size: 0.75rem;
    padding-inline: 0.4rem;
    border-radius: 999px;
    background: var(--_warning-soft);
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    margin-block: 0.5rem;
    display: grid;
    gap: 0.4rem;
  }
  textarea {
    min-block-size: 6rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block: 0.5rem;
  }
  form {
    display: grid;
    gap: 0.5rem;
    max-inline-size: 48rem;
  }
  label {
    display: grid;
    gap: 0.2rem;
  }
`;
