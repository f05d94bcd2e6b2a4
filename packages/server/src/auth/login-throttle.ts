import { createHash } from 'node:crypto';

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export interface ThrottlePolicy {
  /** Failures allowed before delays start. */
  free: number;
  /** First delay; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key is forgotten this long after its last failure. */
  forgetAfterMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 3600_000 };
export const CLIENT_POLICY: ThrottlePolicy = { free: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 3600_000 };

/**
 * Growing delays after failed logins, per account (the e-mail typed, whether or not it exists, so
 * the answer reveals nothing) and per client (a salted, short-lived hash of the address, see
 * ClientKeys). In memory only; a restart forgets, which is acceptable for one process.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, Entry>();
  private readonly clients = new Map<string, Entry>();

  constructor(
    private readonly accountPolicy = ACCOUNT_POLICY,
    private readonly clientPolicy = CLIENT_POLICY,
  ) {}

  private static accountKey(email: string): string {
    return createHash('sha256').update(email.toLowerCase()).digest('base64url');
  }

  /** @returns milliseconds to wait, or 0 when an attempt is allowed now. */
  retryAfterMs(email: string, client: string, now = Date.now()): number {
    this.sweep(now);
    const a = this.accounts.get(LoginThrottle.accountKey(email));
    const c = this.clients.get(client);
    return Math.max(0, (a?.lockedUntil ?? 0) - now, (c?.lockedUntil ?? 0) - now);
  }

  failure(email: string, client: string, now = Date.now()): void {
    bump(this.accounts, LoginThrottle.accountKey(email), this.accountPolicy, now);
    bump(this.clients, client, this.clientPolicy, now);
  }

  /** A successful login clears the account's record (not the client's: one good password does not vouch for the rest). */
  success(email: string): void {
    this.accounts.delete(LoginThrottle.accountKey(email));
  }

  private sweep(now: number): void {
    if (this.accounts.size + this.clients.size < 1000) return;
    for (const [map, policy] of [[this.accounts, this.accountPolicy], [this.clients, this.clientPolicy]] as const) {
      for (const [k, e] of map) if (now - e.lastFailure > policy.forgetAfterMs) map.delete(k);
    }
  }
}

function bump(map: Map<string, Entry>, key: string, policy: ThrottlePolicy, now: number): void {
  let e = map.get(key);
  if (!e || now - e.lastFailure > policy.forgetAfterMs) e = { failures: 0, lockedUntil: 0, lastFailure: now };
  e.failures += 1;
  e.lastFailure = now;
  if (e.failures >= policy.free) {
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (e.failures - policy.free));
    e.lockedUntil = now + delay;
  }
  map.set(key, e);
}
