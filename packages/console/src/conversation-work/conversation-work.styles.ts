import { css } from 'lit';

export const conversationWorkStyles = css`
  :host {
    display: block;
    max-block-size: 40vh;
    overflow: auto;
    padding: 0.5rem;
    --_note-bg: var(--direturn-note-background, #fff4d6);
    --_note-border: var(--direturn-note-border, #8a6d00);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_note-bg: var(--direturn-note-background, #3a3113);
      --_note-border: var(--direturn-note-border, #e0c060);
    }
  }
  section {
    border: 1px dashed var(--_note-border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: var(--_space);
    display: grid;
    gap: var(--_space);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    justify-content: space-between;
  }
  h2 {
    font-size: 1rem;
    margin: 0;
  }
  .internal {
    font-size: 0.8125rem;
    color: var(--_muted);
    margin: 0;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  li {
    background: var(--_note-bg);
    border-inline-start: 4px solid var(--_note-border);
    border-radius: var(--_radius);
    padding: 0.5rem 0.75rem;
  }
  .meta {
    font-size: 0.8125rem;
    color: var(--_muted);
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  .badge {
    font-weight: 600;
    color: var(--_text);
  }
  .body {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0.25rem 0 0;
  }
  form {
    display: grid;
    gap: 0.4rem;
  }
  textarea,
  select {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.4rem 0.5rem;
  }
  textarea {
    min-block-size: 3.5rem;
    resize: vertical;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    align-items: center;
  }
  .topics {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    border: 0;
    padding: 0;
    margin: 0;
  }
  .topics legend {
    font-weight: 600;
    margin-block-end: 0.25rem;
  }
  .error {
    color: var(--_danger);
    margin: 0;
  }
  .empty {
    color: var(--_muted);
    margin: 0;
  }
`;
