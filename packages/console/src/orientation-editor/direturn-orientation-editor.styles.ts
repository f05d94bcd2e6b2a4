import { css } from 'lit';
import { buttons, forms, tokens } from '../shared/styles.js';

export const styles = [
  tokens,
  buttons,
  forms,
  css`
  :host {
    display: block;
  }
  textarea {
    inline-size: 100%;
    min-block-size: 24rem;
    font-family: ui-monospace, monospace;
    font-size: 0.85rem;
    box-sizing: border-box;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
    margin-block: 0.5rem;
  }
  .issues li {
    margin-block-end: 0.25rem;
  }
  code,
  .detail {
    font-size: 0.85rem;
  }
  .detail {
    display: block;
    color: var(--_muted);
  }
`,
];
