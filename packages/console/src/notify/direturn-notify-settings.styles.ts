import { css } from 'lit';

export const notifySettingsStyles = css`
  :host {
    display: block;
  }
  fieldset {
    display: grid;
    gap: 0.5rem;
    max-inline-size: 40rem;
  }
  /* a hint under a checkbox lines up with the checkbox's label */
  fieldset .hint {
    margin-inline-start: 1.6rem;
  }
  p.hint {
    margin-block: 0.5rem;
  }
`;
