import { css } from 'lit';

export const handoverDialogStyles = css`
  :host {
    display: contents;
  }
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    padding: calc(var(--_space) * 1.5);
    inline-size: min(32rem, 92vw);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  h2 {
    font-size: 1.125rem;
    margin-block: 0 var(--_space);
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 var(--_space);
    display: grid;
    gap: 0.4rem;
  }
  legend {
    font-weight: 600;
    margin-block-end: 0.4rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.4rem 0.5rem;
  }
  textarea {
    min-block-size: 5rem;
    resize: vertical;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
    margin: 0;
  }
  .error {
    color: var(--_danger);
    background: var(--_danger-soft);
    border-radius: var(--_radius);
    padding: 0.4rem 0.6rem;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
    margin-block-start: var(--_space);
  }
`;
