import { css } from 'lit';

export const supervisionStyles = css`
  :host {
    display: block;
  }
  h1 {
    font-size: 1.375rem;
    margin-block: 0 var(--_space);
  }
  h2 {
    font-size: 1.0625rem;
    margin-block: calc(var(--_space) * 1.5) 0.5rem;
  }
  .bar {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    background: var(--_surface);
  }
  th,
  td {
    text-align: start;
    padding: 0.4rem 0.6rem;
    border-block-end: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    font-size: 0.875rem;
    color: var(--_muted);
  }
  tr[data-stuck] td {
    background: var(--_warning-soft);
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
`;
