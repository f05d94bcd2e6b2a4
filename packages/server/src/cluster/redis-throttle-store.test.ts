import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { LoginThrottle } from '../auth/login-throttle.js';
import { MemoryThrottleStore } from '../auth/throttle-store.js';
import type { RateLimitedError } from '../shared/errors.js';
import { RedisThrottleStore } from './redis-throttle-store.js';

const redis = new Redis(process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(() => redis.disconnect());

/**
 * The same attempts, at the same clock, through the in-memory store (the reference) and the Redis
 * one: every answer must be the same. Covers the free attempts, doubling delays, the cap, leaking,
 * success clearing and refunding, device counters, and a client across accounts.
 */
async function trace(th: LoginThrottle): Promise<Array<number | string>> {
  const out: Array<number | string> = [];
  const t0 = 1_765_000_000_000;
  const attempt = async (email: string, client: string, at: number, outcome?: boolean, device?: string) => {
    try {
      const a = await th.begin({ email, client, ...(device ? { device } : {}) }, at);
      if (outcome !== undefined) await a.passed(outcome);
      out.push(0);
    } catch (e) {
      out.push((e as RateLimitedError).retryAfterMs ?? String(e));
    }
  };
  for (let i = 0; i < 8; i++) await attempt('a@x.org', 'c1', t0 + i * 100);
  await attempt('a@x.org', 'c1', t0 + 5000);
  await attempt('a@x.org', 'c2', t0 + 5000);
  await attempt('a@x.org', 'c1', t0 + 20 * 60_000);
  for (let i = 0; i < 12; i++) await attempt('a@x.org', 'c1', t0 + 30 * 60_000 + i * 16 * 60_000);
  await attempt('a@x.org', 'owner', t0 + 4 * 3600_000, true, 'device-1');
  for (let i = 0; i < 22; i++) await attempt(`u${i}@x.org`, 'nat', t0 + 5 * 3600_000);
  for (let i = 0; i < 6; i++) await attempt('b@x.org', 'c9', t0 + 6 * 3600_000 + i, i === 5 ? true : undefined);
  await attempt('b@x.org', 'c9', t0 + 6 * 3600_000 + 10, false);
  await attempt('b@x.org', 'c9', t0 + 6 * 3600_000 + 20);
  return out;
}

it('counts, delays, leaks, clears and refunds exactly as the in-memory store does', async () => {
  const memory = await trace(new LoginThrottle(new MemoryThrottleStore()));
  const shared = await trace(new LoginThrottle(new RedisThrottleStore(redis, `direturn-test-${randomBytes(4).toString('hex')}:`)));
  expect(memory.some((v) => v !== 0)).toBe(true); // the trace does meet delays
  expect(shared).toEqual(memory);
});

it('counts parallel attempts from several processes before any is checked', async () => {
  const prefix = `direturn-test-${randomBytes(4).toString('hex')}:`;
  const processes = [new Redis(process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'), redis];
  try {
    const throttles = processes.map((r) => new LoginThrottle(new RedisThrottleStore(r, prefix)));
    const now = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => throttles[i % 2]!.begin({ email: 'a@x.org', client: 'c1' }, now)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  } finally {
    processes[0]!.disconnect();
  }
});
