/** Fired by `<direturn-resume-view>` when the visitor goes back, or after their conversation was resumed here. */
export class DiReturnResumeCloseEvent extends Event {
  static readonly eventName = 'direturn-resume-close';
  constructor(readonly resumed = false) {
    super(DiReturnResumeCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-resume-close': DiReturnResumeCloseEvent;
  }
}
