import { css } from 'lit';

export const adminSitesStyles = css`
  :host {
    display: block;
  }
  td .actions button {
    font-size: 0.875rem;
    min-block-size: 2rem;
    padding-inline: 0.6rem;
  }
  .disabled {
    color: var(--_danger);
    font-weight: 600;
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  pre.snippet {
    margin: 0 0 var(--_space);
    padding: var(--_space);
    background: var(--_surface-alt);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font-size: 0.875rem;
  }
`;

export const siteFormStyles = css`
  :host {
    display: block;
  }
  .day {
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  .period {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: calc(var(--_space) / 2);
  }
  .period label {
    margin: 0;
  }
  .days {
    display: grid;
    gap: var(--_space);
    grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
  }
  details > summary {
    cursor: pointer;
    font-weight: 600;
    margin-block: var(--_space);
  }
  ul.error {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  button.small {
    font-size: 0.875rem;
    min-block-size: 2rem;
    padding-inline: 0.6rem;
  }
`;
