import { css } from 'lit';

/** The conversations screen's grid (queue, own conversations, the open conversation); one column on narrow screens. */
export const workspaceStyles = css`
  .workspace {
    display: grid;
    grid-template-columns: minmax(16rem, 22rem) 1fr;
    grid-template-rows: auto 1fr;
    grid-template-areas:
      'queue main'
      'mine main';
    gap: var(--_space);
    padding: var(--_space);
    min-block-size: 0;
  }
  .col {
    min-block-size: 0;
    overflow-y: auto;
  }
  .queue-col {
    grid-area: queue;
    max-block-size: 55vh;
  }
  .mine-col {
    grid-area: mine;
  }
  .main-col {
    grid-area: main;
    overflow: hidden;
    /* the conversation, its call (call/), then its internal notes and handover (conversation-work/) */
    display: grid;
    grid-template-rows: minmax(0, 1fr) auto auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    min-block-size: 20rem;
  }
  /* Notes and handover never take the conversation's place: on a phone they would cover it. */
  .main-col > direturn-call-panel {
    max-block-size: 60vh;
    overflow-y: auto;
  }
  .main-col > direturn-conversation-work {
    max-block-size: 40vh;
    overflow-y: auto;
  }
  @media (min-width: 75rem) {
    .workspace {
      grid-template-columns: minmax(16rem, 22rem) minmax(14rem, 18rem) 1fr;
      grid-template-rows: 1fr;
      grid-template-areas: 'queue mine main';
    }
    .queue-col {
      max-block-size: none;
    }
  }
  @media (max-width: 56rem) {
    .workspace {
      grid-template-columns: minmax(0, 1fr);
      /* rows as tall as their content: auto rows would shrink to fit the fixed height and overlap */
      grid-template-rows: max-content;
      grid-auto-rows: max-content;
      grid-template-areas: 'queue' 'mine' 'main';
      overflow-y: auto;
    }
    .col {
      overflow: visible;
    }
    .queue-col {
      max-block-size: none;
    }
    .workspace[data-view='list'] .main-col,
    .workspace[data-view='conversation'] .queue-col,
    .workspace[data-view='conversation'] .mine-col {
      display: none;
    }
    .workspace[data-view='conversation'] {
      grid-template-areas: 'main';
      grid-template-rows: minmax(0, 1fr);
      overflow: hidden;
      padding: 0;
    }
    .workspace[data-view='conversation'] .main-col {
      border: none;
      border-radius: 0;
      min-block-size: 0;
      /* The conversation keeps the room it needs (never less than its header, some log and the reply
         box: with a fixed minimum its content overflowed onto the notes); the notes follow below it,
         reached by scrolling. */
      overflow-y: auto;
      grid-template-rows: minmax(min-content, 1fr) auto;
    }
  }`;
