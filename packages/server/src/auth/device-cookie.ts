import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { accountKey } from './login-throttle.js';

export const DEVICE_COOKIE = 'direturn_device';
/** Only the log-in routes need it. */
export const DEVICE_COOKIE_PATH = '/api/auth';
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 86_400;

/**
 * Device cookies (OWASP "Slow down online guessing attacks with device cookies"): a browser that
 * logged in to an account gets a signed cookie naming a random device id; its later attempts on
 * that account are throttled on that device's own counter, not with everyone else's. So an
 * attacker who knows an e-mail address cannot keep its owner out of the console.
 *
 * The server signs with a key derived from the encryption key (Keyring.derive), so every process
 * of an installation accepts the cookies of the others and a restart keeps them; a key rotation
 * voids them (those browsers are throttled like any other client until their next log-in). The
 * cookie tells nothing about the account; it is bound to it only by the signature.
 */
export class DeviceCookies {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  private mac(device: string, email: string): string {
    return createHmac('sha256', this.key).update(`${accountKey(email)}.${device}`).digest('base64url').slice(0, 32);
  }

  issue(email: string): string {
    const device = randomBytes(16).toString('base64url');
    return `${device}.${this.mac(device, email)}`;
  }

  /** The device id when `cookie` was issued for this account, else undefined. */
  verify(cookie: string | undefined, email: string): string | undefined {
    if (!cookie || cookie.length > 100) return undefined;
    const [device, mac] = cookie.split('.');
    if (!device || !mac) return undefined;
    const expected = Buffer.from(this.mac(device, email));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? device : undefined;
  }
}
