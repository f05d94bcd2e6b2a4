import { css } from 'lit';

export const replyWindowStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  .open {
    margin: 0;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  .closed {
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_danger);
    border-radius: var(--_radius);
    background: var(--_warning-soft);
    padding: var(--_space);
  }
  .closed p {
    margin-block: 0 0.5rem;
  }
  h3 {
    font-size: 1rem;
    margin-block: 0.5rem 0.25rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .template {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  }
  .error {
    color: var(--_danger);
  }
`;
