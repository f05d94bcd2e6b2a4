import type { CallbackDto } from '@direturn/protocol';

/**
 * `callback` frames from the agent socket (never with a number), for the callbacks screen. The
 * console store forwards them here, as it does referral frames (referrals/referral-updates.ts).
 */
const callbackUpdates = new EventTarget();

class CallbackUpdateEvent extends Event {
  constructor(readonly callback: CallbackDto) {
    super('callback');
  }
}

export const publishCallback = (callback: CallbackDto): void => void callbackUpdates.dispatchEvent(new CallbackUpdateEvent(callback));

/** Subscribes; returns the unsubscribe. */
export function onCallback(listener: (callback: CallbackDto) => void): () => void {
  const handler = (e: Event) => listener((e as CallbackUpdateEvent).callback);
  callbackUpdates.addEventListener('callback', handler);
  return () => callbackUpdates.removeEventListener('callback', handler);
}
