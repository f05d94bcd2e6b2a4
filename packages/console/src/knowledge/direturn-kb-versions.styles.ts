import { css } from 'lit';
import { buttons, tokens } from '../shared/styles.js';

export const styles = [
  tokens,
  buttons,
  css`
    :host {
      display: block;
    }
    ol {
      margin: 0;
      padding-inline-start: 1.25rem;
      max-block-size: 16rem;
      overflow-y: auto;
    }
    li {
      margin-block-end: 0.35rem;
    }
    .minor {
      color: var(--_muted);
    }
  `,
];
