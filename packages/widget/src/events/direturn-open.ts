/** Fired by `<direturn-chat>` when the chat panel opens. Carries no conversation data. */
export class DiReturnOpenEvent extends Event {
  static readonly eventName = 'direturn-open';
  constructor() {
    super(DiReturnOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-open': DiReturnOpenEvent;
  }
}
