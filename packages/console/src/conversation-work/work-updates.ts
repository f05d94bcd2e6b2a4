import type { AvailabilityDto, NoteDto } from '@direturn/protocol';

/**
 * `note` and `availability` frames from the agent socket, for whichever element shows them (the
 * open conversation's notes, the availability toggle). The console store forwards them here, as it
 * does referral frames (referrals/referral-updates.ts).
 */
const workUpdates = new EventTarget();

class NoteUpdateEvent extends Event {
  constructor(readonly note: NoteDto) {
    super('note');
  }
}
class AvailabilityUpdateEvent extends Event {
  constructor(readonly availability: AvailabilityDto) {
    super('availability');
  }
}

export const publishNote = (note: NoteDto): void => void workUpdates.dispatchEvent(new NoteUpdateEvent(note));
export const publishAvailability = (availability: AvailabilityDto): void => void workUpdates.dispatchEvent(new AvailabilityUpdateEvent(availability));

/** Subscribes; returns the unsubscribe. */
export function onNote(listener: (note: NoteDto) => void): () => void {
  const handler = (e: Event) => listener((e as NoteUpdateEvent).note);
  workUpdates.addEventListener('note', handler);
  return () => workUpdates.removeEventListener('note', handler);
}

/** Subscribes; returns the unsubscribe. */
export function onAvailability(listener: (availability: AvailabilityDto) => void): () => void {
  const handler = (e: Event) => listener((e as AvailabilityUpdateEvent).availability);
  workUpdates.addEventListener('availability', handler);
  return () => workUpdates.removeEventListener('availability', handler);
}
