import { css } from 'lit';

export const availabilityToggleStyles = css`
  :host {
    display: inline-flex;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_border);
  }
  .dot {
    inline-size: 0.65rem;
    block-size: 0.65rem;
    border-radius: 50%;
    background: var(--_success);
  }
  :host([availability='away']) .dot {
    background: var(--_muted);
  }
`;
