import { css } from 'lit';

export const notifySettingsStyles = css`
  :host {
    display: block;
  }
  fieldset {
    display: grid;
    gap: 0.5rem;
  }
  .hint {
    margin-inline-start: 1.6rem;
  }
`;
