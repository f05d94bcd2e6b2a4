import { css } from 'lit';

/** The call panel: a row of call buttons, or the call itself above the conversation's notes; logical properties only. */
export const callPanelStyles = css`
  :host {
    display: block;
    padding-inline: var(--_space);
  }
  .offer,
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    padding-block: 0.5rem;
  }
  .call {
    padding-block: 0.5rem;
    border-block-start: 1px solid var(--_border);
  }
  h2 {
    font-size: 1rem;
    margin: 0 0 0.25rem;
  }
  p {
    margin: 0 0 0.4rem;
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
  }
  .quality {
    color: var(--_muted);
  }
  .quality.poor {
    color: var(--_danger);
    font-weight: 600;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .problem {
    color: var(--_danger);
  }
  .media {
    position: relative;
    max-inline-size: 32rem;
  }
  video {
    display: block;
    background: #000;
    border-radius: var(--_radius);
  }
  video.remote {
    inline-size: 100%;
    max-block-size: 36vh;
    aspect-ratio: 4 / 3;
    object-fit: contain;
  }
  video.local {
    position: absolute;
    inset-block-end: 0.4rem;
    inset-inline-end: 0.4rem;
    inline-size: 25%;
    min-inline-size: 4.5rem;
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border: 2px solid var(--_surface);
    transform: scaleX(-1);
  }
`;
