import type { SavedReplyRenderDto } from '@direturn/protocol';

/** A saved reply was chosen: its text for this conversation (placeholders filled, fallback flagged). */
export class ReplyInsertEvent extends Event {
  static readonly eventName = 'direturn-reply-insert';
  constructor(readonly rendered: SavedReplyRenderDto) {
    super(ReplyInsertEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The picker was closed without choosing (Escape, or the close button). */
export class ReplyCancelEvent extends Event {
  static readonly eventName = 'direturn-reply-cancel';
  constructor() {
    super(ReplyCancelEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-reply-insert': ReplyInsertEvent;
    'direturn-reply-cancel': ReplyCancelEvent;
  }
}
