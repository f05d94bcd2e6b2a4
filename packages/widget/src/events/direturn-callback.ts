/** Fired by `<direturn-callback-view>` when the visitor goes back to the chat. */
export class DiReturnCallbackCloseEvent extends Event {
  static readonly eventName = 'direturn-callback-close';
  constructor() {
    super(DiReturnCallbackCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-callback-close': DiReturnCallbackCloseEvent;
  }
}
