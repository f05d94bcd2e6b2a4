export interface ThrottlePolicy {
  /** Attempts counted before delays start. */
  free: number;
  /** First delay; each further counted attempt doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One counted attempt is forgotten per this much time (a leaky counter): slow trickles never add up. */
  leakMs: number;
}

export interface ThrottleRule {
  key: string;
  policy: ThrottlePolicy;
}

/**
 * Where attempt counters live. In memory for one process today; a shared store (Redis: one Lua
 * script per operation) plugs in for several. Both operations must be atomic over all their keys:
 * that is what keeps parallel guesses from all being checked.
 */
export interface ThrottleStore {
  /**
   * One attempt against all `rules` at once. If any key is still in its delay, nothing is counted
   * and the longest wait comes back; otherwise every key counts the attempt and 0 comes back.
   */
  hit(rules: readonly ThrottleRule[], now: number): Promise<number>;
  /** After a check passed: `clear` keys forget everything, `refund` keys take this attempt back. */
  settle(clear: readonly string[], refund: readonly ThrottleRule[], now: number): Promise<void>;
}

interface Entry {
  count: number;
  at: number;
  lockedUntil: number;
  leakMs: number;
}

/** Bounds memory under a flood of fresh keys (each costs the flooder a password check). */
const MAX_ENTRIES = 100_000;

export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();

  /** The entry with its leak applied up to `now` (not stored). */
  private current(rule: ThrottleRule, now: number): Entry {
    const e = this.entries.get(rule.key);
    const leakMs = rule.policy.leakMs;
    if (!e) return { count: 0, at: now, lockedUntil: 0, leakMs };
    return { count: Math.max(0, e.count - (now - e.at) / leakMs), at: now, lockedUntil: e.lockedUntil, leakMs };
  }

  hit(rules: readonly ThrottleRule[], now: number): Promise<number> {
    const current = rules.map((r) => this.current(r, now));
    const wait = Math.max(0, ...current.map((e) => e.lockedUntil - now));
    if (wait > 0) return Promise.resolve(wait);
    this.sweep(now);
    rules.forEach((rule, i) => {
      const e = current[i]!;
      e.count += 1;
      // Leaking makes counts fractional: an attempt counts until it has leaked away entirely.
      const over = Math.ceil(e.count) - rule.policy.free;
      if (over >= 0) e.lockedUntil = now + Math.min(rule.policy.maxDelayMs, rule.policy.baseDelayMs * 2 ** Math.min(over, 40));
      this.entries.set(rule.key, e);
    });
    return Promise.resolve(0);
  }

  settle(clear: readonly string[], refund: readonly ThrottleRule[], now: number): Promise<void> {
    for (const key of clear) this.entries.delete(key);
    for (const rule of refund) {
      const e = this.current(rule, now);
      e.count = Math.max(0, e.count - 1);
      // Whatever delay this attempt set, it set because it was counted.
      if (Math.ceil(e.count) < rule.policy.free) e.lockedUntil = 0;
      this.entries.set(rule.key, e);
    }
    return Promise.resolve();
  }

  private sweep(now: number): void {
    if (this.entries.size < MAX_ENTRIES) return;
    // Entries that have leaked empty and are not delaying anyone carry no information.
    for (const [k, e] of this.entries) if (e.lockedUntil <= now && now - e.at >= e.count * e.leakMs) this.entries.delete(k);
    // Still full: drop the oldest rather than grow without bound.
    for (const k of this.entries.keys()) {
      if (this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(k);
    }
  }
}
