/**
 * Events of the chat's privacy view (inside the frame only; they never reach the partner page).
 * They carry no conversation data.
 */

/** Fired by `<direturn-chat-header>` when the visitor asks to see the privacy notice. */
export class DiReturnPrivacyOpenEvent extends Event {
  static readonly eventName = 'direturn-privacy-open';
  constructor() {
    super(DiReturnPrivacyOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Fired by `<direturn-chat-privacy>` when the visitor leaves the privacy view ("Back to the chat"). */
export class DiReturnPrivacyCloseEvent extends Event {
  static readonly eventName = 'direturn-privacy-close';
  constructor() {
    super(DiReturnPrivacyCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Fired by `<direturn-chat-privacy>` once the visitor has confirmed "delete my data". */
export class DiReturnDeleteDataEvent extends Event {
  static readonly eventName = 'direturn-delete-data';
  constructor() {
    super(DiReturnDeleteDataEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-privacy-open': DiReturnPrivacyOpenEvent;
    'direturn-privacy-close': DiReturnPrivacyCloseEvent;
    'direturn-delete-data': DiReturnDeleteDataEvent;
  }
}
