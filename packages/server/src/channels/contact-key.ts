import { createHmac } from 'node:crypto';
import type { Keyring } from '../security/keyring.js';

const PURPOSE = 'channel-contacts';

/**
 * The lookup key of a person on an account: an HMAC of account id and identity under a key derived
 * from the encryption key, never a plain hash (an e-mail address or phone-based id is guessable; a
 * plain hash would be reversed by trying). The first is under the current key; the others under
 * older keys still configured, so a person writing after a key rotation finds their conversation.
 */
export function contactKeys(keyring: Keyring, accountId: string, contact: string): string[] {
  return keyring.deriveAll(PURPOSE).map((key) => createHmac('sha256', key).update(`${accountId}\n${contact}`).digest('base64url'));
}

/** The current lookup key only (writing). */
export const contactKey = (keyring: Keyring, accountId: string, contact: string): string => contactKeys(keyring, accountId, contact)[0]!;
