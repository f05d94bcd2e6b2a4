import { css } from 'lit';

/** The callbacks screen (logical properties: right-to-left as is). */
export const callbacksStyles = css`
  :host {
    display: block;
  }
  .counts {
    font-weight: 600;
    margin-block: 0 0.25rem;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .filters {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
    margin-block: var(--_space);
  }
  .filters [aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .windows {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .windows li + li {
    margin-block-start: 0.25rem;
  }
  .windows .past {
    color: var(--_muted);
  }
  .visitor-time,
  .tag {
    display: block;
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  tr.mine td,
  tr.mine th {
    background: var(--_accent-soft);
  }
  .held {
    display: grid;
    gap: var(--_space);
    padding-block: 0.5rem;
  }
  .number {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5rem 1rem;
    margin: 0;
    font-weight: 600;
  }
  .number a[part='number'] {
    font-size: 1.25rem;
    font-variant-numeric: tabular-nums;
  }
  .error {
    color: var(--_danger);
    font-weight: 600;
  }
  .info {
    color: var(--_success);
    font-weight: 600;
  }
`;
