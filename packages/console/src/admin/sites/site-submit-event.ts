import type { SiteFields } from '../../api/accounts-api.js';

/** The site form was submitted with these fields (the screen saves them and answers with `errors`). */
export class SiteSubmitEvent extends Event {
  static readonly eventName = 'direturn-site-submit';
  constructor(readonly fields: SiteFields) {
    super(SiteSubmitEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-site-submit': SiteSubmitEvent;
  }
}
