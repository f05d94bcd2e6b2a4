import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { normaliseResumeCode, RESUME_CODE_ALPHABET, RESUME_CODE_LENGTH, RESUME_CODE_SELECTOR_LENGTH } from '@direturn/protocol';
import type { ThrottlePolicy, ThrottleRule, ThrottleStore } from '../auth/throttle-store.js';
import type { Db } from '../db/database.js';
import { DomainError, RateLimitedError } from '../shared/errors.js';
import { findBySelector, replaceCode, selectorTaken } from './resume-code.repository.js';

const MINUTE = 60_000;

/**
 * Growing delays, as for logins (auth/login-throttle.ts): a client may try 10 codes, then waits
 * 1 s, doubling up to 15 min, one attempt forgotten every 6 min; a code (its selector, whoever
 * types it) takes 5 wrong tries, then waits up to an hour, one forgotten every 30 min. A guesser
 * who knew a selector would need about 2^39 tries for the rest; one who does not gets a hit per
 * 31^12 / (number of live codes) tries. Counters live in the shared throttle store (Redis with
 * several processes).
 */
export const RESUME_POLICIES: Record<'client' | 'code', ThrottlePolicy> = {
  client: { free: 10, leakMs: 6 * MINUTE, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE },
  code: { free: 5, leakMs: 30 * MINUTE, baseDelayMs: 1000, maxDelayMs: 60 * MINUTE },
};

const GENERATE_TRIES = 8;

/**
 * Resume codes: a second secret beside the visitor's token, typed by hand on another device.
 * The database keeps the selector (first 4 characters, to find the row) and an HMAC-SHA256 of the
 * whole code under a key derived from the installation's key; the check compares in constant time.
 */
export class ResumeCodes {
  constructor(
    private readonly db: Db,
    /** The HMAC key (derived from the current encryption key: a key rotation voids existing codes). */
    private readonly key: () => Buffer,
    private readonly throttle: ThrottleStore,
    private readonly policies = RESUME_POLICIES,
  ) {}

  private mac(code: string): Buffer {
    return createHmac('sha256', this.key()).update(`resume:${code}`).digest();
  }

  /** A short key for the per-code counter: the selector is part of the secret, so not in the store in clear. */
  private codeKey(selector: string): string {
    return `resume-code:${createHmac('sha256', this.key()).update(`selector:${selector}`).digest('base64url').slice(0, 22)}`;
  }

  /** A new code for the visitor; the previous one stops working. The code itself is returned once, never stored. */
  async issue(visitorId: string, now = Date.now()): Promise<{ code: string; createdAt: number }> {
    for (let i = 0; i < GENERATE_TRIES; i++) {
      let code = '';
      for (let j = 0; j < RESUME_CODE_LENGTH; j++) code += RESUME_CODE_ALPHABET[randomInt(RESUME_CODE_ALPHABET.length)];
      const selector = code.slice(0, RESUME_CODE_SELECTOR_LENGTH);
      if (await selectorTaken(this.db, selector)) continue;
      try {
        await this.db.transaction().execute((trx) => replaceCode(trx, { visitor_id: visitorId, selector, verifier_hash: this.mac(code).toString('base64url'), created_at: now }));
        return { code, createdAt: now };
      } catch (err) {
        // Another visitor took the selector meanwhile (unique): draw again.
        if (!(await selectorTaken(this.db, selector))) throw err;
      }
    }
    throw new Error('no free resume code selector found');
  }

  /**
   * The visitor whose code `typed` is, on this site. Counted before the check (per client and per
   * code), so parallel guesses cannot all be checked; throws RateLimitedError while delayed and
   * `resume_invalid` for a code that opens nothing (the answer never says which part was wrong).
   */
  async use(siteId: string, typed: string, clientKey: string): Promise<string> {
    const client: ThrottleRule = { key: `resume-client:${clientKey}`, policy: this.policies.client };
    const code = normaliseResumeCode(typed);
    const rules: ThrottleRule[] = code ? [client, { key: this.codeKey(code.slice(0, RESUME_CODE_SELECTOR_LENGTH)), policy: this.policies.code }] : [client];
    const wait = await this.throttle.hit(rules, Date.now());
    if (wait > 0) throw new RateLimitedError('Too many attempts with resume codes. Please wait before trying again.', wait);
    const row = code ? await findBySelector(this.db, code.slice(0, RESUME_CODE_SELECTOR_LENGTH)) : undefined;
    // Compared in constant time; without a row against a fixed value, so both paths do the same work.
    const expected = row ? Buffer.from(row.verifier_hash, 'base64url') : Buffer.alloc(32);
    const given = this.mac(code ?? '');
    const match = timingSafeEqual(expected, given) && row !== undefined && row.site_id === siteId;
    if (!row || !match) throw new DomainError('resume_invalid', 'This resume code does not open a conversation here.');
    // The owner got in: their code's counter starts afresh; the client's attempt is taken back.
    await this.throttle.settle([rules[1]!.key], [client], Date.now());
    return row.visitor_id;
  }
}
