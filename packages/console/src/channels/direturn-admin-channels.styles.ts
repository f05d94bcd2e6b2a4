import { css } from 'lit';

export const adminChannelsStyles = css`
  :host {
    display: block;
  }
  td .actions button {
    font-size: 0.875rem;
    min-block-size: 2rem;
    padding-inline: 0.6rem;
  }
  .paused,
  .last-error {
    color: var(--_danger);
  }
  .paused {
    font-weight: 600;
  }
  .health {
    font-size: 0.875rem;
    max-inline-size: 28rem;
    overflow-wrap: anywhere;
  }
  .webhook {
    color: var(--_muted);
  }
  ul.error {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
`;
