import { createHash } from 'node:crypto';
import { RateLimitedError } from '../shared/errors.js';
import { MemoryThrottleStore, type ThrottlePolicy, type ThrottleRule, type ThrottleStore } from './throttle-store.js';

export type { ThrottlePolicy } from './throttle-store.js';

const MINUTE = 60_000;
const delays = { baseDelayMs: 1000, maxDelayMs: 15 * MINUTE } as const;

/**
 * Growing delays, never a hard lock (OWASP Authentication Cheat Sheet, NIST SP 800-63B 5.2.2):
 * - one client guessing one account: 5 attempts, then 1 s doubling up to 15 min;
 * - one client across accounts (spraying): 20;
 * - one account from all clients without a device cookie (a distributed attack): 100;
 * - a device that logged in to this account before (device cookie): 5, on its own counter,
 *   so neither a guesser elsewhere nor a distributed attack keeps the real person out.
 * Counters leak (one attempt forgotten per `leakMs`), so a trickle of one guess every 15 minutes
 * never adds up to a delay for anyone else.
 */
export const POLICIES: Record<'pair' | 'client' | 'account' | 'device', ThrottlePolicy> = {
  pair: { free: 5, leakMs: 10 * MINUTE, ...delays },
  client: { free: 20, leakMs: MINUTE, ...delays },
  account: { free: 100, leakMs: MINUTE, ...delays },
  device: { free: 5, leakMs: 10 * MINUTE, ...delays },
};

export interface AttemptOf {
  /** The e-mail typed, whether or not it exists, so the answer reveals nothing. */
  email: string;
  /** Salted, short-lived hash of the address (ClientKeys). */
  client: string;
  /** Id of a verified device cookie for this account (DeviceCookies.verify), if any. */
  device?: string | undefined;
}

export interface Attempt {
  /**
   * The check passed. `complete`: the person is in (a session, or the change they asked for), so
   * this client's or device's record for the account is cleared; a password step that a second
   * factor still follows leaves it, or every fresh challenge would reset the count of code guesses.
   * Shared counters (client, account) take the attempt back either way: they count failures.
   */
  passed(complete: boolean): Promise<void>;
}

export const accountKey = (email: string): string => createHash('sha256').update(email.toLowerCase()).digest('base64url').slice(0, 22);

/**
 * Every password and code check counts BEFORE it runs, atomically over all its counters, so
 * guesses sent in parallel cannot all be checked: the ones over the limit are refused at once.
 */
export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore = new MemoryThrottleStore(),
    private readonly policies = POLICIES,
  ) {}

  /** Counts an attempt; throws RateLimitedError (nothing counted) while one of its counters delays. */
  async begin(a: AttemptOf, now = Date.now()): Promise<Attempt> {
    const account = accountKey(a.email);
    const own: ThrottleRule = a.device
      ? { key: `device:${a.device}`, policy: this.policies.device }
      : { key: `pair:${account}:${a.client}`, policy: this.policies.pair };
    const shared: ThrottleRule[] = a.device
      ? []
      : [
          { key: `client:${a.client}`, policy: this.policies.client },
          { key: `account:${account}`, policy: this.policies.account },
        ];
    const wait = await this.store.hit([own, ...shared], now);
    if (wait > 0) throw new RateLimitedError('Too many attempts. Please wait before trying again.', wait);
    return {
      passed: (complete) => this.store.settle(complete ? [own.key] : [], shared, Date.now()),
    };
  }
}
