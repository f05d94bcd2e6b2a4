import { css, html } from 'lit';
import type { Translate } from '../i18n/i18n.js';
import { homeButtons } from './entries.js';

/**
 * The home view's entries beside the composer (information, and later the orientation check and
 * the office finder): one button each, only for registered views. A template of the chat app
 * (not an element of its own: the first view's bytes count).
 */
export const homeEntriesTemplate = (t: Translate, open: (id: string) => void, during: boolean) =>
  html`<div class="entries ${during ? 'during' : ''}" part="entries">
    ${homeButtons().map((e) => html`<button type="button" part="entry" data-entry=${e.id} @click=${() => open(e.id)}>${t(e.label)}</button>`)}
  </div>`;

export const homeEntriesStyles = css`
  .entries {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem 0;
  }
  .entries button {
    font: inherit;
    font-size: 0.9rem;
    min-block-size: 2.75rem;
    padding-inline: 0.9rem;
    border: 1px solid var(--_accent, #0b57a4);
    border-radius: 999px;
    background: none;
    color: inherit;
    cursor: pointer;
  }
  /* During a conversation on a short screen (a landscape phone, 200 % zoom) the messages keep the room. */
  @media (max-height: 30rem) {
    .entries.during {
      display: none;
    }
  }
  .entries button:focus-visible {
    outline: 3px solid #1a73e8;
    outline-offset: 2px;
  }
`;
