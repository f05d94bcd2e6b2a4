/** Fired by `<direturn-chat>` when the chat frame has loaded and answers over the bridge. */
export class DiReturnReadyEvent extends Event {
  static readonly eventName = 'direturn-ready';
  constructor() {
    super(DiReturnReadyEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-ready': DiReturnReadyEvent;
  }
}
