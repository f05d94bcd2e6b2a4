import { css } from 'lit';

export const passwordFormStyles = css`
  :host {
    display: block;
  }
  ul.error {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
`;
