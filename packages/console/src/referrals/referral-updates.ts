import type { ReferralDto } from '@direturn/protocol';

/**
 * Referral frames from the agent socket, for whichever element shows referrals (the conversation's
 * panel, the referrals screen). The console root forwards `referral` frames here.
 */
export const referralUpdates = new EventTarget();

export class ReferralUpdateEvent extends Event {
  static readonly eventName = 'referral';
  constructor(readonly referral: ReferralDto) {
    super(ReferralUpdateEvent.eventName);
  }
}

export const publishReferral = (referral: ReferralDto): void => void referralUpdates.dispatchEvent(new ReferralUpdateEvent(referral));

/** Subscribes; returns the unsubscribe. */
export function onReferral(listener: (r: ReferralDto) => void): () => void {
  const handler = (e: Event) => listener((e as ReferralUpdateEvent).referral);
  referralUpdates.addEventListener(ReferralUpdateEvent.eventName, handler);
  return () => referralUpdates.removeEventListener(ReferralUpdateEvent.eventName, handler);
}

/** The newest postcode a visitor wrote (five digits on their own), to prefill the office search. */
export function postcodeFrom(texts: readonly string[]): string {
  for (let i = texts.length - 1; i >= 0; i--) {
    const all = [...texts[i]!.matchAll(/(?<![\d.,])\d{5}(?![\d.,])/g)];
    if (all.length) return all.at(-1)![0];
  }
  return '';
}
