import type { Redis } from 'ioredis';
import { KeyedBuckets } from '../realtime/rate-limit.js';

/**
 * Short-lived state that every process of an installation must see alike: rate limits, login
 * challenges, throttles. In memory for one process (SQLite, or PostgreSQL without Redis); in Redis
 * when several processes share the work. Keys are namespaced by the caller; values are small
 * strings without personal data (hashes, ids, counters).
 */
export interface EphemeralStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only when the key does not exist: true for the one caller that set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Reads and deletes in one step: of two processes taking the same key, one gets it. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Adds 1 (creating the key with `ttlMs` to live) and returns the new count, atomically. */
  incr(key: string, ttlMs: number): Promise<number>;
  /**
   * A token bucket of `perMinute` tokens refilled evenly, `burst` at most: 0 when a token was
   * taken, else milliseconds until one is available.
   */
  rate(key: string, perMinute: number, burst?: number): Promise<number>;
}

/** For one process: a Map with expiry, and token buckets in memory. */
export class MemoryStore implements EphemeralStore {
  private readonly values = new Map<string, { value: string; expires: number }>();
  private readonly buckets = new Map<string, KeyedBuckets>();

  async get(key: string): Promise<string | undefined> {
    return this.read(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.prune();
    this.values.set(key, { value, expires: Date.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.read(key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async take(key: string): Promise<string | undefined> {
    const v = this.read(key);
    this.values.delete(key);
    return v;
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const n = Number(this.read(key) ?? 0) + 1;
    const existing = this.values.get(key);
    this.values.set(key, { value: String(n), expires: existing && existing.expires > Date.now() ? existing.expires : Date.now() + ttlMs });
    return n;
  }

  async rate(key: string, perMinute: number, burst = perMinute): Promise<number> {
    const id = `${perMinute}/${burst}`;
    let b = this.buckets.get(id);
    if (!b) this.buckets.set(id, (b = new KeyedBuckets(perMinute, burst)));
    return b.take(key);
  }

  private read(key: string): string | undefined {
    const e = this.values.get(key);
    if (!e) return undefined;
    if (e.expires <= Date.now()) {
      this.values.delete(key);
      return undefined;
    }
    return e.value;
  }

  private prune(): void {
    if (this.values.size < 10_000) return; // bounded memory under a flood of keys
    const now = Date.now();
    for (const [k, e] of this.values) if (e.expires <= now) this.values.delete(k);
  }
}

/**
 * The token bucket as one Lua script, so that concurrent takes from several processes see each
 * other (Redis runs a script atomically). Time comes from Redis, not from each process's clock.
 */
const RATE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMs = tonumber(ARGV[1]) / 60000
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - last) * perMs)
local wait = 0
if tokens < 1 then
  wait = math.max(1, math.ceil((1 - tokens) / perMs))
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
return wait
`;

/** Shared by every process through Redis; keys live under `prefix`. */
export class RedisStore implements EphemeralStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'direturn:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.prefix + key)) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const k = this.prefix + key;
    const [[, n]] = (await this.redis.multi().incr(k).pexpire(k, Math.max(1, Math.ceil(ttlMs)), 'NX').exec()) as [[unknown, number], unknown];
    return n;
  }

  async rate(key: string, perMinute: number, burst = perMinute): Promise<number> {
    return Number(await this.redis.eval(RATE_SCRIPT, 1, `${this.prefix}rate:${key}`, perMinute, burst));
  }
}
