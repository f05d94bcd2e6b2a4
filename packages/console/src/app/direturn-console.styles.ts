import { css } from 'lit';

/** The shell: top bar, navigation, notice, pages. */
export const consoleStyles = css`
  :host {
    display: block;
    block-size: 100%;
    min-block-size: 100dvh;
    background: var(--_bg);
  }
  .app {
    display: grid;
    /* minmax(0, …): a row of content (the phone's sideways nav) never widens the page */
    grid-template-columns: minmax(0, 1fr);
    grid-template-rows: auto auto 1fr;
    block-size: 100dvh;
  }
  .topbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
    padding-block: 0.5rem;
    padding-inline: var(--_space);
    background: var(--_surface);
    border-block-end: 1px solid var(--_border);
  }
  .brand {
    font-weight: 700;
    font-size: 1.0625rem;
    margin: 0;
    margin-inline-end: auto;
  }
  .connection {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.875rem;
  }
  .dot {
    inline-size: 0.65rem;
    block-size: 0.65rem;
    border-radius: 50%;
    background: var(--_muted);
  }
  .connection[data-state='online'] .dot {
    background: var(--_success);
  }
  .connection[data-state='connecting'] .dot {
    background: #b7791f;
  }
  .connection[data-state='offline'] .dot {
    background: var(--_danger);
  }
  .agent {
    font-size: 0.875rem;
    color: var(--_muted);
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
  }
  .lang {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    font-size: 0.875rem;
  }
  select {
    font: inherit;
    padding-block: 0.25rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_muted);
    background: var(--_surface);
    color: var(--_text);
  }
  .notice-area:empty {
    display: none;
  }
  .notice {
    display: flex;
    align-items: center;
    gap: var(--_space);
    margin: var(--_space);
    margin-block-end: 0;
    padding-block: 0.5rem;
    padding-inline: var(--_space);
    border-radius: var(--_radius);
    background: var(--_warning-soft);
    border: 1px solid #d9b44a;
  }
  .notice.error {
    background: var(--_danger-soft);
    border-color: var(--_danger);
  }
  .notice p {
    margin: 0;
    flex: 1;
  }
  .centered {
    padding: calc(var(--_space) * 2) var(--_space);
  }
  nav {
    flex-basis: 100%;
  }
  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
  }
  /* On a phone the screens (a dozen for admins) scroll sideways in one row instead of filling the screen. */
  @media (max-width: 40rem) {
    nav {
      min-inline-size: 0;
      max-inline-size: 100%;
    }
    nav ul {
      flex-wrap: nowrap;
      overflow-x: auto;
      padding-block-end: 0.25rem;
    }
    nav li {
      flex: none;
    }
  }
  nav button[aria-current='page'] {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .page {
    padding: var(--_space);
    overflow-y: auto;
    min-block-size: 0;
  }
  .setup {
    max-inline-size: 44rem;
    margin-inline: auto;
  }
  .setup h1 {
    font-size: 1.375rem;
  }
  .centered p {
    text-align: center;
  }
`;
