import { css } from 'lit';

/** Styles of the call view: above the conversation, from 320 px up; logical properties only (right-to-left as is). */
export const callStyles = css`
  :host {
    display: block;
    padding: 0.6rem 0.75rem;
    color: var(--_text);
    background: var(--_surface-alt);
    border-block-end: 1px solid var(--_border);
    font-size: 0.95rem;
    line-height: 1.4;
  }
  h2 {
    font-size: 1rem;
    margin: 0 0 0.3rem;
  }
  h2:focus {
    outline: none;
  }
  p {
    margin: 0 0 0.5rem;
  }
  .hint {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .actions,
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  button {
    font: inherit;
    min-block-size: 2.75rem;
    min-inline-size: 2.75rem;
    padding-inline: 0.9rem;
    border-radius: 999px;
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-contrast);
    cursor: pointer;
  }
  button.secondary {
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_border);
  }
  button[aria-pressed='true'] {
    background: var(--_text);
    color: var(--_surface);
    border-color: var(--_text);
  }
  button.hangup {
    background: #b3261e;
    border-color: #b3261e;
    color: #fff;
  }
  button:focus-visible {
    outline: var(--_focus-ring);
    outline-offset: 2px;
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: baseline;
    margin-block-end: 0.5rem;
  }
  .status .quality {
    font-size: 0.85rem;
    color: var(--_muted);
  }
  .quality.poor {
    color: var(--_error);
    font-weight: 600;
  }
  .media {
    position: relative;
    margin-block-end: 0.5rem;
  }
  video {
    display: block;
    background: #000;
    border-radius: calc(var(--_radius) / 2);
  }
  video.remote {
    inline-size: 100%;
    max-block-size: 40vh;
    aspect-ratio: 4 / 3;
    object-fit: contain;
  }
  video.local {
    position: absolute;
    inset-block-end: 0.4rem;
    inset-inline-end: 0.4rem;
    inline-size: 28%;
    min-inline-size: 4.5rem;
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border: 2px solid var(--_surface);
  }
  /* the own picture is a mirror, as people expect of a front camera */
  video.local {
    transform: scaleX(-1);
  }
  .error {
    color: var(--_error);
    font-weight: 600;
  }
  @media (max-height: 480px) {
    video.remote {
      max-block-size: 30vh;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;
