/** A token bucket: `burst` frames at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How long until one token is available (0 if now). */
  retryAfterMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

/**
 * Which frames over a socket's limit get an answer: every `send` (its sender holds the message and
 * resends it after `retryAfterMs`, so none is lost) and the first other frame of a flood; the rest
 * of the flood gets none, so a client cannot make the server answer as fast as it writes.
 */
export class FloodGuard {
  private warned = false;

  answer(ref: string | undefined): boolean {
    if (ref !== undefined) return true;
    if (this.warned) return false;
    this.warned = true;
    return true;
  }

  /** A frame within the limit again: the next flood gets its warning. */
  reset(): void {
    this.warned = false;
  }
}

/** Token buckets by key (a site id, a client key), forgotten when full again. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute: number,
    private readonly burst = perMinute,
  ) {}

  /** @returns 0 when allowed, else milliseconds to wait. */
  take(key: string): number {
    if (this.buckets.size > 10_000) this.buckets.clear(); // bounded memory under a flood of keys
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new TokenBucket(this.perMinute / 60, this.burst)));
    return b.take() ? 0 : Math.max(1, b.retryAfterMs());
  }
}
