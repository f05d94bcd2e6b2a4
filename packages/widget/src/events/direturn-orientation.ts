/**
 * Events of the orientation check (inside the frame only; they never reach the partner page).
 */
import type { OrAnswers } from '@direturn/protocol';

/** Fired by `<direturn-orientation-view>` when the visitor closes the check (its answers are forgotten). */
export class DiReturnOrientationCloseEvent extends Event {
  static readonly eventName = 'direturn-orientation-close';
  constructor() {
    super(DiReturnOrientationCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** "Send to a counsellor": the answers and the rule-set version they were evaluated with; the chat app sends them. */
export class DiReturnOrientationSendEvent extends Event {
  static readonly eventName = 'direturn-orientation-send';
  constructor(
    readonly answers: OrAnswers,
    readonly ruleSetVersion: number,
    /** The message text that goes with the summary, in the visitor's language. */
    readonly body: string,
  ) {
    super(DiReturnOrientationSendEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-orientation-close': DiReturnOrientationCloseEvent;
    'direturn-orientation-send': DiReturnOrientationSendEvent;
  }
}
