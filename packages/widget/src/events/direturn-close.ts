/** Fired by `<direturn-chat>` when the chat panel closes. Carries no conversation data. */
export class DiReturnCloseEvent extends Event {
  static readonly eventName = 'direturn-close';
  constructor() {
    super(DiReturnCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-close': DiReturnCloseEvent;
  }
}
