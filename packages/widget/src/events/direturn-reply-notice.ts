/** Fired by `<direturn-reply-notice-view>` when the visitor goes back to the chat. */
export class DiReturnReplyNoticeCloseEvent extends Event {
  static readonly eventName = 'direturn-reply-notice-close';
  constructor() {
    super(DiReturnReplyNoticeCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-reply-notice-close': DiReturnReplyNoticeCloseEvent;
  }
}
