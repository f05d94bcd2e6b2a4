/**
 * Events of the office search and the referral consent (inside the frame only; they never reach
 * the partner page). A view that wants to offer the office search (the home view, a link in the
 * conversation) dispatches `direturn-open-offices`; the chat app opens it.
 */

/** Asks the chat app to open the office search ("Find my counselling office"). */
export class DiReturnOpenOfficesEvent extends Event {
  static readonly eventName = 'direturn-open-offices';
  constructor() {
    super(DiReturnOpenOfficesEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Fired by `<direturn-office-search>` when the visitor goes back. */
export class DiReturnOfficesCloseEvent extends Event {
  static readonly eventName = 'direturn-offices-close';
  constructor() {
    super(DiReturnOfficesCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The visitor's answer to a proposed referral (or taking back a consent). */
export interface ReferralAnswer {
  referralId: string;
  answer: 'consent' | 'decline' | 'withdraw';
  contact?: { kind: 'phone' | 'email'; value: string } | null;
  includeTranscript?: boolean;
}

/** Fired by `<direturn-referral-consent>` with the visitor's answer. */
export class DiReturnReferralAnswerEvent extends Event {
  static readonly eventName = 'direturn-referral-answer';
  constructor(readonly answer: ReferralAnswer) {
    super(DiReturnReferralAnswerEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'direturn-open-offices': DiReturnOpenOfficesEvent;
    'direturn-offices-close': DiReturnOfficesCloseEvent;
    'direturn-referral-answer': DiReturnReferralAnswerEvent;
  }
}
